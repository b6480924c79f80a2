// Saves text the app produced as a file, without any network request (a blob: URL on this origin).

export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N}._ -]+/gu, '_').trim();
  return cleaned.length > 0 ? cleaned.slice(0, 120) : 'shoplens-export';
}

export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = safeFileName(fileName);
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
