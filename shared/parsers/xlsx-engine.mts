/**
 * The Excel reader's heavy dependencies (about 1 MB bundled), in one module that xlsx-rows.ts loads
 * with the first workbook. A deployed function ships it as a bundle of its own beside the handler
 * (infra/stack/bundling.ts, XLSX_ENGINE): the handler's bundle stays small and its cold start does
 * not pay for a reader most files never need.
 */
import ExcelJS from 'exceljs';
import unzipper from 'unzipper';

export { ExcelJS, unzipper };
