/** The whole-notebook JavaScript program's parts for test cases, repeats and variants. */
import type { NotebookStep } from './notebook.ts';
import { js, PHRASES } from './phrases.ts';
import { code } from './template.ts';
import type { Code } from './template.ts';

const { string } = PHRASES.javascript;

/** What a prompt that starts a new thread runs first. */
export const newConversation = code`
  // This prompt starts a new conversation.
  conversations = Object.fromEntries(Object.keys(TARGETS).map((id) => [id, []]));
`;

export const fillFunction = code`

  /** The text with each {{name}} replaced by the test case's value. */
  function fill(text, testCase) {
    if (text === undefined || !testCase) return text;
    return text.replace(/\{\{[ \t]*([^{}\r\n]+?)[ \t]*\}\}/g, (whole, name) =>
      name in testCase ? String(testCase[name]) : whole,
    );
  }
`;

export function contextFunction(cases: boolean): Code {
  return code`

    /** The system prompt and inference config a target runs with: its own where it has them. */
    function contextOf(target${cases ? ', testCase' : ''}) {
      const ownSystem = "system" in target ? target.system : system;
      return [${cases ? 'fill(ownSystem, testCase)' : 'ownSystem'}, { ...inferenceConfig, ...target.inferenceConfig }];
    }
  `;
}

/**
 * A prompt with test cases or repeats: each test case's user turn is sent to every target (as
 * many times as it repeats) and its answer printed; the conversation goes on without them.
 */
export function gridPrompt(s: Extract<NotebookStep, { kind: 'prompt' }>, head: Code): Code {
  const perCase = s.perCase;
  return code`
    ${head}
    ${s.newThread && newConversation}
    // ${perCase ? 'Runs once per test case' : 'Runs'}${s.repeat > 1 ? `, ${s.repeat} times` : ''}; the answers are printed, not kept in the conversation.
    {
      const prompt = ${js(s.text)};
      for (const [number, testCase] of ${perCase ? 'TEST_CASES.entries()' : '[[0, undefined]]'}) {
        for (let repeat = 0; repeat < ${s.repeat}; repeat++) {
          ${perCase ? `console.log(\`\\n=== Test case \${number + 1}${s.repeat > 1 ? ', repeat ${repeat + 1}' : ''}: \${JSON.stringify(testCase)} ===\`);` : 'console.log(`\\n=== Repeat ${repeat + 1} ===`);'}
          for (const targetId of Object.keys(TARGETS)) {
            conversations[targetId].push({ role: "user", content: [{ text: ${perCase ? 'fill(prompt, testCase)' : 'prompt'} }] });
            await ask(targetId${perCase ? ', testCase' : ''});
            conversations[targetId].pop();
          }
        }
      }
    }
  `;
}

/** A data cell: its test cases, written out or read from their file when the program runs. */
export function dataCell(s: Extract<NotebookStep, { kind: 'data' }>, head: Code): Code {
  return code`
    ${head}
    // The test cases: their columns fill the {{variables}} of the cells below.
    ${
      'rows' in s.cases
        ? code`var TEST_CASES = ${js(s.cases.rows)};`
        : code`
          var TEST_CASES = readFileSync(${string(s.cases.file)}, "utf8")
            .split("\n")
            .filter((line) => line.trim())
            .map((line) => JSON.parse(line));
        `
    }
  `;
}
