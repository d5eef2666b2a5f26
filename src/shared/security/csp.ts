/** The Content-Security-Policy of the workstation's page (architecture.md §9). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // antd 6 injects its CSS-in-JS as <style> elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // The desk talks to the hospital server at the address the hospital gives it at run time (the
  // embedded one on a loopback port, or one on the LAN, over HTTP or HTTPS): no fixed origin can
  // be named here. What keeps an injected script from sending data anywhere is that none runs
  // (script-src 'self', no inline scripts).
  "connect-src 'self' http: https:",
  // pdf.js renders in a worker
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
