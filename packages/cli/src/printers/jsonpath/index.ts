export { JSONPath, JSONPathExecError, type JSONPathOptions } from './jsonpath.js';
export { JSONPathParseError, parseJSONPath } from './parser.js';
export { relaxedJSONPathExpression, RelaxedPathError } from './relaxed.js';
