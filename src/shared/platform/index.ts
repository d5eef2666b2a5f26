/**
 * The national medical-insurance interface (定点医药机构接口) as pure data and functions: the
 * envelope, msgids and times, per-transaction schemas, the recognition extension, error classes.
 * Shared by the workstation (validation before queueing, the HTTP gateway) and the sandbox.
 */
export { chinaParts, formatChinaDate, formatCompactTime, formatInfTime, formatRespondTime, isChinaDate, parseCompactTime, parseInfTime, type ChinaTimeParts } from '../time';
export * from './msgid';
export * from './fields';
export * from './issues';
export * from './envelope';
export * from './transactions';
export * from './recognition';
export * from './catalogue';
export * from './errors';
export * from './validate';
