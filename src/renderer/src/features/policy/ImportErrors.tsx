import { Alert } from 'antd';

/** Why a pack or calendar file was refused: every error, with its place in the file (the first 50 listed). */
export function ImportErrors({ title, errors, onClose }: { title: string; errors: string[]; onClose: () => void }) {
  return (
    <Alert
      type="error"
      showIcon
      closable
      onClose={onClose}
      title={`${title}（共 ${errors.length} 处错误）`}
      description={
        <ul className="error-list" data-testid="import-errors">
          {errors.slice(0, 50).map((e) => (
            <li key={e}>{e}</li>
          ))}
          {errors.length > 50 && <li>……另有 {errors.length - 50} 处</li>}
        </ul>
      }
    />
  );
}
