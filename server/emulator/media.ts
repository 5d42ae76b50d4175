import { getDocumentProxy } from 'unpdf';
import type { Attachment, Conversation } from './conversation.ts';

/**
 * What the emulator reads of an attachment, so that an answer shows the bytes arrived: an
 * image's real format and pixel size from its header, a text document's first words, a PDF's
 * page count and first words (through unpdf, Mozilla's PDF.js packaged for servers).
 */

/** An image's format as its bytes say, and its size in pixels when the header holds it. */
export interface ImageHeader {
  format: 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'tiff';
  width?: number;
  height?: number;
}

const ascii = (bytes: Uint8Array, start: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(start, start + length));

/** Reads an image header; undefined for bytes that are no image format Bedrock knows of. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | undefined {
  try {
    return headerOf(bytes);
  } catch (error) {
    // A header cut short: no size can be read from it.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function headerOf(bytes: Uint8Array): ImageHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (n: number) => bytes.length >= n;
  if (
    has(24) &&
    ascii(bytes, 1, 3) === 'PNG' &&
    bytes[0] === 0x89 &&
    ascii(bytes, 12, 4) === 'IHDR'
  ) {
    return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (has(10) && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) {
    return { format: 'gif', width: view.getUint16(6, true), height: view.getUint16(8, true) };
  }
  if (has(30) && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    return { format: 'webp', ...webpSize(bytes, view) };
  }
  if (has(3) && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    return { format: 'jpeg', ...jpegSize(bytes, view) };
  }
  if (has(26) && ascii(bytes, 0, 2) === 'BM') {
    return {
      format: 'bmp',
      width: view.getInt32(18, true),
      height: Math.abs(view.getInt32(22, true)),
    };
  }
  if (has(4) && (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*')) {
    return { format: 'tiff' };
  }
  return undefined;
}

const u24 = (bytes: Uint8Array, at: number): number =>
  bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16);

/** The three WebP encodings keep the canvas size in three places. */
function webpSize(bytes: Uint8Array, view: DataView): { width?: number; height?: number } {
  switch (ascii(bytes, 12, 4)) {
    case 'VP8 ':
      return {
        width: view.getUint16(26, true) & 0x3fff,
        height: view.getUint16(28, true) & 0x3fff,
      };
    case 'VP8L': {
      const bits = view.getUint32(21, true);
      return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
    }
    case 'VP8X':
      return { width: u24(bytes, 24) + 1, height: u24(bytes, 27) + 1 };
    default:
      return {};
  }
}

/** A JPEG's size is in its start-of-frame segment, found by walking the segments. */
function jpegSize(bytes: Uint8Array, view: DataView): { width?: number; height?: number } {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return {};
    const marker = bytes[offset + 1]!;
    const length = view.getUint16(offset + 2);
    const startOfFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (startOfFrame)
      return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
    offset += 2 + length;
  }
  return {};
}

/** The first `count` words of a text, with an ellipsis when there is more. */
export function firstWords(text: string, count = 8): string {
  const words = text
    .replace(/<[^>]*>/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const head = words.slice(0, count).join(' ');
  return words.length > count ? `${head}…` : head;
}

/** A PDF's page count and the first words of its text layer (empty when it has none). */
export interface PdfSummary {
  pages: number;
  words: string;
}

/** Reads a PDF with unpdf; undefined when the bytes are not a PDF it can open. */
export async function readPdf(bytes: Uint8Array): Promise<PdfSummary | undefined> {
  try {
    // PDF.js takes ownership of the buffer it is given: hand it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(bytes));
    try {
      const first = await pdf.getPage(1);
      const content = await first.getTextContent();
      const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
      return { pages: pdf.numPages, words: firstWords(text) };
    } finally {
      await pdf.loadingTask.destroy();
    }
  } catch {
    return undefined;
  }
}

const TEXT_FORMATS = new Set(['txt', 'md', 'csv', 'html']);

/**
 * Says what each attachment of a conversation holds (its `detail`), reading the bytes kept for
 * it: an image's size in pixels, a text document's first words, a PDF's pages and first words.
 */
export async function describeAttachments(conversation: Conversation): Promise<void> {
  for (const attachment of conversation.turns.flatMap((turn) => turn.attachments)) {
    attachment.detail = await detailOf(attachment);
    delete attachment.data;
  }
}

async function detailOf(attachment: Attachment): Promise<string | undefined> {
  const { data } = attachment;
  if (!data) return undefined;
  const size = `${data.length} bytes`;
  if (attachment.kind === 'image') {
    const header = readImageHeader(data);
    if (header?.width === undefined || header.height === undefined) return undefined;
    return `a ${header.width}×${header.height} ${header.format.toUpperCase()}`;
  }
  const name = `"${attachment.name ?? 'document'}"`;
  if (TEXT_FORMATS.has(attachment.format)) {
    const words = firstWords(new TextDecoder().decode(data));
    return `${name} (${attachment.format}, ${size}) begins "${words}"`;
  }
  if (attachment.format === 'pdf') {
    const pdf = await readPdf(data);
    if (!pdf) return `${name} (pdf, ${size}) could not be read as a PDF`;
    const pages = pdf.pages === 1 ? '1 page' : `${pdf.pages} pages`;
    return pdf.words
      ? `${name} is a PDF of ${pages} that begins "${pdf.words}"`
      : `${name} is a PDF of ${pages} without a text layer`;
  }
  return `${name} (${attachment.format}, ${size})`;
}
