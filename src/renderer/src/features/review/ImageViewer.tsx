import { useEffect, useState } from 'react';

/** An image material (photo or scan) at the chosen zoom and rotation, from its Blob. */
export function ImageViewer({ blob, zoom, rotation, alt }: { blob: Blob; zoom: number; rotation: number; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    // Each mount owns its object URL and revokes it on cleanup (StrictMode mounts twice).
    const u = URL.createObjectURL(blob);
    let live = true;
    queueMicrotask(() => live && setUrl(u));
    return () => {
      live = false;
      URL.revokeObjectURL(u);
    };
  }, [blob]);
  if (!url) return null;
  // A quarter turn swaps width and height; the wrapper takes the rotated size so scrolling works.
  const quarter = rotation % 180 !== 0;
  return (
    <div className="image-viewer" style={{ padding: quarter ? '10%' : undefined }}>
      <img src={url} alt={alt} data-testid="image-material" style={{ transform: `rotate(${rotation}deg)`, width: `${Math.round(zoom * 100)}%`, maxWidth: 'none' }} />
    </div>
  );
}
