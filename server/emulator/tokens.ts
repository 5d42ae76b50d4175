import type { Conversation } from './conversation.ts';

// A piece is optional leading whitespace plus one word or one other character, so the pieces of
// a text always join back to exactly that text.
const PIECE = /\s*(?:[\p{L}\p{N}]+(?:['’]\p{L}+)?|[^\s\p{L}\p{N}])|\s+$/gu;
const LONG_WORD = 8;

/** Splits text into the word-ish pieces the emulator streams as tokens. */
export function tokenize(text: string): string[] {
  const pieces: string[] = [];
  for (const [piece] of text.matchAll(PIECE)) {
    // Long words become several tokens, as with real subword tokenizers.
    const word = piece.trimStart();
    if (word.length <= LONG_WORD) {
      pieces.push(piece);
      continue;
    }
    let rest = piece;
    const lead = piece.length - word.length;
    let cut = lead + Math.ceil(LONG_WORD / 2) + 1;
    while (rest.length > cut + 2) {
      pieces.push(rest.slice(0, cut));
      rest = rest.slice(cut);
      cut = LONG_WORD - 2;
    }
    pieces.push(rest);
  }
  return pieces;
}

const SPECIAL = /<\|[a-z_]+\|>|<\/?s>|\[\/?INST\]|<<\/?SYS>>/g;

/** Tokens of a raw prompt, counting template markers such as `<|eot_id|>` as one token each. */
export function countPromptTokens(prompt: string): number {
  const specials = prompt.match(SPECIAL)?.length ?? 0;
  return 1 + specials + tokenize(prompt.replace(SPECIAL, ' ')).length;
}

/** Input tokens of a chat conversation: text, per-message framing and attachments. */
export function countConversationTokens({ system, turns }: Conversation): number {
  let count = system ? tokenize(system).length + 3 : 0;
  for (const turn of turns) {
    count += 4 + tokenize(turn.text).length;
    for (const attachment of turn.attachments) {
      count +=
        attachment.kind === 'image'
          ? Math.min(1600, 60 + Math.ceil(attachment.bytes / 500))
          : 20 + Math.ceil(attachment.bytes / 4);
    }
  }
  return count + 3;
}
