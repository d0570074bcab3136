// kubectl's output printers for minik's CLI: server-side Tables as `kubectl get` prints them
// (also for `get -w`), and -o json|yaml|name|jsonpath|custom-columns for plain objects.
export * from './table/index.js';
export { TabWriter, type TabWriterOptions } from './tabwriter.js';
export { tabulate } from './tabulate.js';
export { printObjects, wrapList, type PrintObjectsOptions } from './print-objects.js';
export { parseOutputFormat, type OutputSpec, type OutputFormatOptions } from './output-format.js';
export { resourceName, operationMessage, printNames } from './name.js';
export {
  parseCustomColumnsSpec,
  parseCustomColumnsTemplate,
  printCustomColumns,
  type Column,
} from './custom-columns.js';
export {
  JSONPath,
  JSONPathExecError,
  JSONPathParseError,
  relaxedJSONPathExpression,
  RelaxedPathError,
  type JSONPathOptions,
} from './jsonpath/index.js';
export { marshalJSON, marshalIndentJSON } from './go-json.js';
export { marshalYAML } from './yaml/index.js';
export { PrinterError, cliErrorText, noCompatiblePrinter, ALLOWED_FORMATS } from './errors.js';
