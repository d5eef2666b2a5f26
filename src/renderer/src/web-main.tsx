// Browser-mode entry: install the HTTP window.api first, then start the same renderer.
import './browser-shim';
import './start';
