import { Typography } from 'antd';
import { useHashRoute } from '../../lib/useHashRoute';
import { CASE_FILE_BASE, caseFileRoute, personIdOf } from './case-file-route';
import { PersonFile } from './PersonFile';
import { PersonSearch } from './PersonSearch';
import './case-file.css';

/** 档案: find an insured person by name, ID number or psn_no, then read their whole file. */
export default function CaseFilePage() {
  const [path, navigate] = useHashRoute(CASE_FILE_BASE);
  const personId = personIdOf(path);
  return (
    <div className="page case-file-page">
      <Typography.Title level={4}>档案</Typography.Title>
      <PersonSearch selectedId={personId} onOpen={(id) => navigate(caseFileRoute(id))} />
      {personId && <PersonFile personId={personId} />}
    </div>
  );
}
