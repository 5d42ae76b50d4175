/** Saving text as a file and copying it, for the export dialogs and the notebook list. */

/** Offers `text` as a download named `fileName` (the browser's own download, no server). */
export function downloadText(fileName: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the next task; the URL is no longer needed then.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Copies `text` to the clipboard; rejects when the browser refuses (no permission, no focus). */
export function copyText(text: string): Promise<void> {
  return navigator.clipboard.writeText(text);
}

/** The MIME type a download of a file with this name is offered as. */
export function mimeTypeOf(fileName: string): string {
  const extension = fileName.slice(fileName.lastIndexOf('.') + 1);
  const types: Record<string, string> = {
    md: 'text/markdown',
    ipynb: 'application/x-ipynb+json',
    py: 'text/x-python',
    mjs: 'text/javascript',
    js: 'text/javascript',
    java: 'text/x-java',
    cs: 'text/x-csharp',
    sh: 'application/x-sh',
  };
  return types[extension] ?? 'text/plain';
}
