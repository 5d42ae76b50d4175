/**
 * The part of papaparse the domain uses. Its DefinitelyTyped package references Node's types,
 * which would let Node APIs into `cells/` unnoticed, so the two calls are declared here.
 */
declare module 'papaparse' {
  interface ParseError {
    type: string;
    code: string;
    message: string;
    /** The 0-based row (record) the error is in. */
    row?: number;
  }
  interface ParseResult {
    data: string[][];
    errors: ParseError[];
  }
  interface ParseConfig {
    header?: false;
    skipEmptyLines?: boolean | 'greedy';
    delimiter?: string;
    preview?: number;
  }
  interface UnparseConfig {
    header?: boolean;
    columns?: string[];
    newline?: string;
    quotes?: boolean;
    /** Prefixes a value that starts with =, +, -, @, tab or carriage return with a quote. */
    escapeFormulae?: boolean;
  }
  const Papa: {
    parse(input: string, config?: ParseConfig): ParseResult;
    unparse(data: unknown[][] | Record<string, unknown>[], config?: UnparseConfig): string;
  };
  export default Papa;
}
