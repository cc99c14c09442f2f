/** unzipper ships no type declarations; xlsx-rows.ts declares the little it uses. */
declare module 'unzipper';
