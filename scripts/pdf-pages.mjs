// The number of pages in a PDF Chromium wrote: its page objects (`/Type /Page`, not the
// `/Type /Pages` tree nodes). Chromium writes each page object uncompressed, so this holds for
// its PDFs, not for any PDF. Shared by the build (scripts/cheatsheet-pdfs.mjs) and the browser
// suite, which checks the files the build left.
export const pageCount = (pdf) => (Buffer.from(pdf).toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
