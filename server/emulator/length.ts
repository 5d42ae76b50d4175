import { unreachable } from './errors.ts';
import { tokenize } from './tokens.ts';

/**
 * The length a person asks for in words ("in one line", "in 200 words", "three paragraphs",
 * "a very long essay"), so the emulator's answers follow it as a real model's roughly would.
 */
export type LengthAsk = (
  | { unit: 'words' | 'sentences' | 'lines' | 'paragraphs'; count: number }
  | { unit: 'scale'; scale: 'brief' | 'long' | 'very-long' }
) & {
  /** The words that asked, which are not a topic of the answer. */
  phrase: string;
};

/** The most of each unit an answer is composed with, whatever was asked (maxTokens cuts first). */
const MAX_COUNT: Record<'words' | 'sentences' | 'lines' | 'paragraphs', number> = {
  words: 20_000,
  sentences: 2_000,
  lines: 2_000,
  paragraphs: 200,
};

const SMALL = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

const UNIT_WORD = /^(?<unit>word|sentence|line|paragraph|para|bullet point|bullet|point|liner)s?$/;
const NUMBER = String.raw`\d[\d,]*|a single|single|a couple of|a few|(?:${[...SMALL, ...TENS.filter(Boolean), 'hundred', 'thousand', 'a', 'an'].join('|')})(?:[ -](?:${[...SMALL, ...TENS.filter(Boolean), 'hundred', 'thousand'].join('|')}))*`;
const UNIT = String.raw`word|sentence|line|paragraph|para|bullet point|bullet|point`;
/** "in 200 words", "under fifty words", "write three paragraphs", "in a single line". */
const COUNTED = new RegExp(
  String.raw`\b(?<cue>in|within|under|below|about|around|roughly|approximately|exactly|only|just|max|maximum|at most|no more than|fewer than|less than|up to|using|write|give me|list|keep it to|limit it to)\s+(?:(?:about|around|roughly|approximately|exactly|only|just|at most|no more than)\s+)?(?<count>${NUMBER})[ -](?<unit>${UNIT})s?\b`,
  'i',
);
/** "a 200-word summary", "a three-paragraph essay", "a one-line answer", "a one-liner". */
const ADJECTIVE = new RegExp(
  String.raw`\ban?\s+(?<count>${NUMBER})-(?<unit>${UNIT}|liner)s?\b`,
  'i',
);
const STRICTLY_BELOW = /^(under|below|fewer than|less than)$/i;

/** What a long answer is called: "a long essay", "a very detailed report". */
const WRITING = String.raw`(?:\s+(?:essay|story|answer|article|explanation|response|report|post|text|letter|email|piece|tale|description|reply|summary)s?)`;
const VERY_LONG = new RegExp(
  String.raw`\b(?:very|extremely|really|super|incredibly) (?:long|lengthy|detailed)${WRITING}?\b|\bas long as (?:possible|you can)\b|\bexhaustive(?:ly)?\b`,
  'i',
);
const LONG = new RegExp(
  String.raw`\b(?:long(?:er)?${WRITING}|(?:lengthy|detailed|in-depth|comprehensive|thorough)${WRITING}?|essays?)\b|\bin (?:great |full )?(?:detail|depth)\b|\b(?:comprehensive|thorough)ly\b`,
  'i',
);
const BRIEF =
  /\b(?:briefly|be brief|keep it (?:short|brief)|short answer|in short|concise(?:ly)?|succinct(?:ly)?|tl;?dr|in a nutshell)\b/i;
const SCALES = [
  ['very-long', VERY_LONG],
  ['long', LONG],
  ['brief', BRIEF],
] as const;

/** A number written in digits or words ("200", "two hundred", "twenty-five", "a few"). */
function parseNumber(text: string): number | undefined {
  const lower = text.toLowerCase().trim();
  if (/^\d[\d,]*$/.test(lower)) return Number(lower.replace(/,/g, ''));
  if (lower === 'a single' || lower === 'single' || lower === 'a' || lower === 'an') return 1;
  if (lower === 'a couple of') return 2;
  if (lower === 'a few') return 3;
  let total = 0;
  let current = 0;
  for (const word of lower.split(/[ -]+/)) {
    const small = SMALL.indexOf(word);
    const tens = TENS.indexOf(word);
    if (small >= 0) current += small;
    else if (tens >= 2) current += tens * 10;
    else if (word === 'hundred') current = Math.max(current, 1) * 100;
    else if (word === 'thousand') {
      total += Math.max(current, 1) * 1000;
      current = 0;
    } else if (word === 'a' || word === 'an') current = Math.max(current, 1);
    else return undefined;
  }
  return total + current;
}

function unitOf(word: string): 'words' | 'sentences' | 'lines' | 'paragraphs' {
  const unit = UNIT_WORD.exec(word.toLowerCase())?.groups?.unit ?? '';
  if (unit === 'word') return 'words';
  if (unit === 'sentence') return 'sentences';
  if (unit === 'paragraph' || unit === 'para') return 'paragraphs';
  return 'lines';
}

/**
 * The length `text` asks for, if any. A count wins over a scale ("a long essay in three
 * paragraphs" has three paragraphs); "under N" means at most N - 1.
 */
export function askedLength(text: string): LengthAsk | undefined {
  const counted = COUNTED.exec(text) ?? ADJECTIVE.exec(text);
  const groups = counted?.groups;
  if (counted && groups?.count && groups.unit) {
    const count = parseNumber(groups.count);
    if (count !== undefined && count > 0) {
      const unit = unitOf(groups.unit);
      const below = groups.cue !== undefined && STRICTLY_BELOW.test(groups.cue) ? 1 : 0;
      const bounded = Math.min(Math.max(count - below, 1), MAX_COUNT[unit]);
      return { unit, count: bounded, phrase: counted[0] };
    }
  }
  const liner = /\bone-liner\b/i.exec(text);
  if (liner) return { unit: 'lines', count: 1, phrase: liner[0] };
  for (const [scale, pattern] of SCALES) {
    const match = pattern.exec(text);
    if (match) return { unit: 'scale', scale, phrase: match[0] };
  }
  return undefined;
}

/** What an answer is made of: its opening sentences, endless body sentences, its closing line. */
export interface AnswerParts {
  lead: readonly string[];
  closer: string;
  /** Between body sentences: a space for prose, a newline for bullet lists. */
  joiner: string;
  /** A line before the body (Llama 3's "**Key points:**"). */
  intro?: string | undefined;
  sentences: Iterator<string>;
}

/** How many times its usual length a model writes when asked for a long or very long answer. */
export const LONG_FACTOR = { long: 4, 'very-long': 12 } as const;

const PER_PARAGRAPH = 4;
/** Below this many times the words of its opening and closing, an answer is body only. */
const FRAMED = 3;

const next = (parts: AnswerParts): string => {
  const sentence = parts.sentences.next();
  return sentence.done ? '' : sentence.value;
};
const take = (parts: AnswerParts, count: number): string[] =>
  Array.from({ length: count }, () => next(parts));
const countWords = (text: string): number => text.split(/\s+/).filter(Boolean).length;

/** The first `count` words of a sentence, ended with a full stop and without a half-open `**`. */
function cutWords(sentence: string, count: number): string {
  let cut = sentence.split(/\s+/).filter(Boolean).slice(0, count).join(' ');
  if ((cut.match(/\*\*/g)?.length ?? 0) % 2 === 1) cut = cut.replace(/\*\*/g, '');
  return `${cut.replace(/[^\p{L}\p{N}]+$/u, '')}.`;
}

/** Paragraphs of body sentences, `PER_PARAGRAPH` to a paragraph. */
function paragraphs(body: readonly string[], joiner: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < body.length; i += PER_PARAGRAPH) {
    out.push(body.slice(i, i + PER_PARAGRAPH).join(joiner));
  }
  return out;
}

/** The opening, then paragraphs of body sentences until the answer has `target` tokens, then the closer. */
export function toTokens(parts: AnswerParts, target: number): string {
  const opening = parts.lead.join(' ');
  // Parts are joined by whitespace, which the tokenizer attaches to the next word: the tokens of
  // the whole are the tokens of the parts.
  let tokens = tokenize(opening).length + (parts.closer ? tokenize(` ${parts.closer}`).length : 0);
  const body: string[] = [];
  while (tokens < target) {
    const sentence = next(parts);
    body.push(sentence);
    tokens += tokenize(` ${sentence}`).length;
  }
  const [first = '', ...rest] = paragraphs(body, parts.joiner);
  const intro = parts.intro ? `${parts.intro}${parts.joiner}` : '';
  return [opening, `${intro}${first}`, ...rest, parts.closer].filter(Boolean).join('\n\n');
}

/** Exactly `count` words, framed by the opening and the closer when there is room for them. */
function toWords(parts: AnswerParts, count: number): string {
  const opening = parts.lead.join(' ');
  const frame = countWords(opening) + countWords(parts.closer);
  const framed = count >= FRAMED * frame;
  let needed = count - (framed ? frame : 0);
  const body: string[] = [];
  while (needed > 0) {
    const sentence = next(parts);
    const words = countWords(sentence);
    body.push(words > needed ? cutWords(sentence, needed) : sentence);
    needed -= Math.min(words, needed);
  }
  const blocks = paragraphs(body, parts.joiner);
  return (framed ? [opening, ...blocks, parts.closer] : blocks).filter(Boolean).join('\n\n');
}

/** An answer of so many words, sentences, lines or paragraphs. */
export function composeCounted(
  parts: AnswerParts,
  ask: Extract<LengthAsk, { count: number }>,
  random: () => number,
): string {
  switch (ask.unit) {
    case 'words':
      return toWords(parts, ask.count);
    // The opening (which quotes the request) leads the first sentence or line, uncounted.
    case 'sentences':
      return [parts.lead.join(' '), ...take(parts, ask.count)].join(parts.joiner);
    case 'lines': {
      const [first = '', ...rest] = take(parts, ask.count);
      // A bullet's marker would sit mid-line after the opening.
      return [`${parts.lead.join(' ')} ${first.replace(/^\* /, '')}`, ...rest].join('\n');
    }
    case 'paragraphs':
      return Array.from({ length: ask.count }, (_, i) => {
        const body = take(parts, 3 + Math.floor(random() * 3));
        const opening = i === 0 ? [parts.lead.join(' ')] : [];
        const closing = i === ask.count - 1 && parts.closer ? [parts.closer] : [];
        return [...opening, ...body, ...closing].join(parts.joiner);
      }).join('\n\n');
    default:
      return unreachable(ask.unit);
  }
}
