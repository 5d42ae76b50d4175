/**
 * Makes the example notebook's attachments (`notebooks/attachments/`) and the files tests attach:
 * a PNG written with node:zlib (its pixels are a small picture: a sun over hills), and a PDF
 * with a text layer written with pdf-lib. `npx tsx tests/support/example-attachments.ts` writes
 * the example files again; they are committed, so the example opens without running it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG of `width`×`height` whose pixel at (x, y) is `color(x, y)`. */
export function makePng(
  width: number,
  height: number,
  color: (x: number, y: number) => [number, number, number],
): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set(color(x, y), y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** The guide's image: a sun over green hills under a blue sky, 160×120. */
export function guideImage(): Buffer {
  return makePng(160, 120, (x, y) => {
    if ((x - 120) ** 2 + (y - 30) ** 2 < 15 ** 2) return [250, 200, 40];
    if (y > 85 + 12 * Math.sin(x / 20)) return [60, 150, 70];
    return [110, 170, 230];
  });
}

/** The guide's earnings report: two pages with a text layer. */
export async function q2ReportPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  // Fixed dates, so the file is the same bytes every time it is made.
  const date = new Date('2026-07-15T00:00:00Z');
  pdf.setCreationDate(date);
  pdf.setModificationDate(date);
  pdf.setTitle('Q2 report');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const pages = [
    [
      'Q2 report: AnyCompany earnings, second quarter',
      'Revenue grew 12% to $4.2 million, led by subscriptions.',
      'Operating costs fell 3% after the move to a new data centre.',
      'Net income was $0.6 million, against $0.3 million in Q1.',
    ],
    [
      'Outlook',
      'We expect Q3 revenue between $4.4 and $4.6 million.',
      'Hiring continues in support and sales.',
    ],
  ];
  for (const lines of pages) {
    const page = pdf.addPage([420, 300]);
    lines.forEach((line, i) => page.drawText(line, { x: 30, y: 260 - i * 24, size: 12, font }));
  }
  return pdf.save();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../notebooks/attachments',
  );
  writeFileSync(path.join(dir, 'guide-image.png'), guideImage());
  writeFileSync(path.join(dir, 'q2-report.pdf'), await q2ReportPdf());
}
