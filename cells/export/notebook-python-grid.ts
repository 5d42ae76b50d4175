/** The whole-notebook Python program's parts for test cases, repeats and variants. */
import type { NotebookStep } from './notebook.ts';
import { PHRASES, py } from './phrases.ts';
import { code } from './template.ts';
import type { Code } from './template.ts';

const { string } = PHRASES.python;

/** What a prompt that starts a new thread runs first. */
export const newConversation = code`
  # This prompt starts a new conversation.
  conversations = {target_id: [] for target_id in TARGETS}
`;

export const fillFunction = code`


  def fill(text, case):
      """The text with each {{name}} replaced by the test case's value."""
      if text is None or case is None:
          return text
      return re.sub(
          r"\{\{[ \t]*([^{}\r\n]+?)[ \t]*\}\}",
          lambda m: str(case[m.group(1)]) if m.group(1) in case else m.group(0),
          text,
      )
`;

export function contextFunction(cases: boolean): Code {
  return code`


    def context_of(target${cases ? ', case=None' : ''}):
        """The system prompt and inference config a target runs with: its own where it has them."""
        own_system = ${cases ? 'fill(target.get("system", system), case)' : 'target.get("system", system)'}
        return own_system, {**inference_config, **target.get("inference_config", {})}
  `;
}

/**
 * A prompt with test cases or repeats: each test case's user turn is sent to every target (as
 * many times as it repeats) and its answer printed; the conversation goes on without them.
 */
export function gridPrompt(s: Extract<NotebookStep, { kind: 'prompt' }>, head: string): Code {
  const perCase = s.perCase;
  return code`
    ${head}
    ${s.newThread && newConversation}
    # ${perCase ? 'Runs once per test case' : 'Runs'}${s.repeat > 1 ? `, ${s.repeat} times` : ''}; the answers are printed, not kept in the conversation.
    prompt = ${py(s.text)}
    for ${perCase ? 'number, case in enumerate(TEST_CASES, 1)' : 'case in [None]'}:
        for repeat in range(${s.repeat}):
            ${perCase ? `print(f"\\n=== Test case {number}${s.repeat > 1 ? ', repeat {repeat + 1}' : ''}: {case} ===")` : `print(f"\\n=== Repeat {repeat + 1} ===")`}
            for target_id in TARGETS:
                conversations[target_id].append({"role": "user", "content": [{"text": ${perCase ? 'fill(prompt, case)' : 'prompt'}}]})
                ask(target_id${perCase ? ', case' : ''})
                conversations[target_id].pop()
  `;
}

/** A data cell: its test cases, written out or read from their file when the program runs. */
export function dataCell(s: Extract<NotebookStep, { kind: 'data' }>, head: string): Code {
  return code`
    ${head}
    # The test cases: their columns fill the {{variables}} of the cells below.
    ${
      'rows' in s.cases
        ? code`TEST_CASES = ${py(s.cases.rows)}`
        : code`
          with open(${string(s.cases.file)}, encoding="utf-8", newline="") as cases_file:
              TEST_CASES = ${s.cases.format === 'csv' ? 'list(csv.DictReader(cases_file))' : '[json.loads(line) for line in cases_file if line.strip()]'}
        `
    }
  `;
}
