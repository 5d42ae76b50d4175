/**
 * Images and documents in prompts: Bedrock's formats, limits and naming rule, and where the bytes
 * live. A prompt part names its file by a path relative to the workspace, always inside
 * `attachments/`; the bytes are never in the notebook.
 */

/** The image formats Converse takes. */
export const IMAGE_FORMATS = ['png', 'jpeg', 'gif', 'webp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export function isImageFormat(format: string): format is ImageFormat {
  return (IMAGE_FORMATS as readonly string[]).includes(format);
}

/** The document formats Converse takes. */
export const DOCUMENT_FORMATS = [
  'pdf',
  'csv',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'html',
  'txt',
  'md',
] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** Bedrock's limits for one Converse request (ImageBlock, DocumentBlock). */
export const ATTACHMENT_LIMITS = {
  /** 3.75 MB: the 5 MB a model takes, once base64-encoded. */
  imageBytes: 3.75 * 1024 * 1024,
  images: 20,
  documentBytes: 4.5 * 1024 * 1024,
  documents: 5,
  documentNameChars: 200,
} as const;

/** The folder of the workspace that holds attachments. */
export const ATTACHMENTS_DIR = 'attachments';

/**
 * A file in `attachments/`: one level, a name of letters, digits, spaces, `.`, `_`, `-` and
 * parentheses (the workspace's rule for names), never `..`, never hidden.
 */
const ATTACHMENT_PATH = /^attachments\/(?!\.)[A-Za-z0-9 ._()-]{1,120}$/;

/** Why `path` cannot name an attachment, or undefined when it can. */
export function attachmentPathProblem(path: string): string | undefined {
  if (!ATTACHMENT_PATH.test(path) || path.includes('..')) {
    return `"${path}" is not a file in ${ATTACHMENTS_DIR}/: an attachment is named by a path like ${ATTACHMENTS_DIR}/chart.png (letters, digits, spaces, ".", "_", "-" and parentheses)`;
  }
  return undefined;
}

/**
 * Bedrock's rule for a document's name: letters, digits, whitespace, hyphens, parentheses and
 * square brackets, never two whitespace characters in a row.
 */
const DOCUMENT_NAME = /^(?:[A-Za-z0-9()[\]-]|(?<!\s)\s)+$/;

/** Bedrock's own words when a document name breaks its rule. */
export const DOCUMENT_NAME_RULE =
  "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character.";

/** Bedrock's own words for two documents of one name in a request. */
export const DUPLICATE_DOCUMENT_NAMES =
  "Messages can't contain duplicate document names. Rename the document and retry your request.";

/** Bedrock's own words for more than five documents. */
export const TOO_MANY_DOCUMENTS = "You can't include more than 5 documents in a request.";

/** Bedrock's own words for an image whose bytes are not the format it declares. */
export const IMAGE_FORMAT_MISMATCH =
  'The provided image does not match the specified image format.';

export function isDocumentName(name: string): boolean {
  return (
    name.length >= 1 &&
    name.length <= ATTACHMENT_LIMITS.documentNameChars &&
    DOCUMENT_NAME.test(name)
  );
}

/**
 * Bedrock's rules on the documents of one request (at most five, each name by its rule and used
 * once), in its own words for the first one broken; undefined when the names keep them.
 */
export function documentNamesProblem(names: readonly string[]): string | undefined {
  if (names.length > ATTACHMENT_LIMITS.documents) return TOO_MANY_DOCUMENTS;
  const bad = names.find((name) => !isDocumentName(name));
  if (bad !== undefined) return `${DOCUMENT_NAME_RULE} ("${bad}")`;
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined)
    return `${DUPLICATE_DOCUMENT_NAMES} (two documents are named "${twice}")`;
  return undefined;
}

/**
 * A document name Bedrock takes, made from a file name: the extension dropped, other characters
 * than its rule allows turned into spaces, runs of spaces made one.
 */
export function documentNameFrom(fileName: string): string {
  const base = fileName.replace(/\.[^.]*$/, '');
  const name = base
    .replace(/[^A-Za-z0-9()[\]\s-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, ATTACHMENT_LIMITS.documentNameChars)
    .trim();
  return name || 'document';
}

/** The format a file name's extension says, or undefined for one Bedrock does not take. */
export function formatFromName(
  fileName: string,
):
  | { kind: 'image'; format: ImageFormat }
  | { kind: 'document'; format: DocumentFormat }
  | undefined {
  const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext === undefined) return undefined;
  const image = ext === 'jpg' ? 'jpeg' : ext === 'htm' ? undefined : ext;
  if ((IMAGE_FORMATS as readonly string[]).includes(image ?? '')) {
    return { kind: 'image', format: image as ImageFormat };
  }
  const doc = ext === 'htm' ? 'html' : ext === 'markdown' ? 'md' : ext;
  if ((DOCUMENT_FORMATS as readonly string[]).includes(doc)) {
    return { kind: 'document', format: doc as DocumentFormat };
  }
  return undefined;
}

/** The refusal of a file whose format Bedrock does not take, naming the formats it does. */
export function unsupportedFormat(fileName: string): string {
  return `"${fileName}" is not a format Bedrock takes: images must be ${IMAGE_FORMATS.join(', ')} and documents ${DOCUMENT_FORMATS.join(', ')}`;
}

/** "4 MB", "3.75 MB", "812 KB": sizes as Bedrock's documents write them (1 MB = 1024 KB). */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 100) / 100} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} bytes`;
}

/** Why a file of `bytes` is too large for Bedrock as this kind of part, or undefined. */
export function oversize(
  kind: 'image' | 'document',
  name: string,
  bytes: number,
): string | undefined {
  const limit = kind === 'image' ? ATTACHMENT_LIMITS.imageBytes : ATTACHMENT_LIMITS.documentBytes;
  if (bytes <= limit) return undefined;
  return `"${name}" is ${formatSize(bytes)}: Bedrock takes ${kind === 'image' ? 'images' : 'documents'} of at most ${formatSize(limit)} each`;
}

/** The MIME type of an attachment format (native Claude bodies name images this way). */
export function mediaType(format: ImageFormat | DocumentFormat): string {
  switch (format) {
    case 'png':
    case 'jpeg':
    case 'gif':
    case 'webp':
      return `image/${format}`;
    case 'pdf':
      return 'application/pdf';
    case 'csv':
      return 'text/csv';
    case 'html':
      return 'text/html';
    case 'txt':
      return 'text/plain';
    case 'md':
      return 'text/markdown';
    case 'doc':
      return 'application/msword';
    case 'docx':
      return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    case 'xls':
      return 'application/vnd.ms-excel';
    case 'xlsx':
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    default:
      return 'application/octet-stream';
  }
}
