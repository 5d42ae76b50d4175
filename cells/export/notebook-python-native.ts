/** The native bodies of the whole-notebook Python program: Claude's and Llama's, and their prompts. */
import { PHRASES } from './phrases.ts';
import { code } from './template.ts';
import type { Code } from './template.ts';

const { string } = PHRASES.python;

/** The whitespace JavaScript's trim() removes, so Python strips prompts exactly as compile does. */
const JS_WHITESPACE =
  '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** Claude's body builder; with parts, files become base64 sources. */
export function claudeBody(parts: boolean): Code {
  return code`


  def claude_body(messages, system, inference_config, fields, max_tokens_limit):
      """The Claude Messages body for a conversation, built as the playground builds it."""
      max_tokens = inference_config.get("maxTokens", 1024)
      if max_tokens_limit is not None:
          max_tokens = min(max_tokens, max_tokens_limit)
      body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": max_tokens}
      if system:
          body["system"] = system
      ${
        parts
          ? code`
            body["messages"] = [
                {"role": m["role"], "content": [claude_block(b) for b in m["content"]]}
                for m in messages
            ]
          `
          : code`
            body["messages"] = [
                {"role": m["role"], "content": [{"type": "text", "text": m["content"][0]["text"]}]}
                for m in messages
            ]
          `
      }
      if "temperature" in inference_config:
          body["temperature"] = inference_config["temperature"]
      if "topP" in inference_config:
          body["top_p"] = inference_config["topP"]
      if inference_config.get("stopSequences"):
          body["stop_sequences"] = inference_config["stopSequences"]
      for key, value in fields.items():
          if key not in ("anthropic_version", "system", "messages"):
              body[key] = value
      return body
  ${parts && claudeBlock}
  `;
}

const claudeBlock = code`


  def claude_block(block):
      """A Converse content block as a Claude Messages block: a file's bytes as a base64 source."""
      if "image" in block:
          image = block["image"]
          data = base64.b64encode(image["source"]["bytes"]).decode()
          media_type = "image/" + image["format"]
          return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}
      if "document" in block:
          document = block["document"]
          data = base64.b64encode(document["source"]["bytes"]).decode()
          source = {"type": "base64", "media_type": "application/pdf", "data": data}
          return {"type": "document", "title": document["name"], "source": source}
      return {"type": "text", "text": block["text"]}
`;

/** Llama's body builder; with parts, a message's text blocks are joined. */
export function llamaBody(parts: boolean): Code {
  return code`

  # The whitespace JavaScript's trim() removes, so prompts are stripped exactly as the
  # playground strips them.
  WHITESPACE = ${string(JS_WHITESPACE)}


  def llama_body(prompt, inference_config, fields, max_gen_len_limit):
      """The Llama native body: the rendered prompt plus the parameters Llama takes."""
      body = {"prompt": prompt}
      if "maxTokens" in inference_config:
          body["max_gen_len"] = min(inference_config["maxTokens"], max_gen_len_limit)
      if "temperature" in inference_config:
          body["temperature"] = inference_config["temperature"]
      if "topP" in inference_config:
          body["top_p"] = inference_config["topP"]
      for key, value in fields.items():
          if key in ("max_gen_len", "temperature", "top_p"):
              body[key] = value
      return body
  ${parts && textOf}
  `;
}

const textOf = code`


  def text_of(message):
      """A message's text blocks joined by blank lines, as the playground joins them."""
      return "\n\n".join(block["text"] for block in message["content"] if "text" in block)
`;

export function llama2Prompt(parts: boolean): Code {
  const text = parts ? 'text_of(m)' : 'm["content"][0]["text"]';
  return code`


  def llama2_prompt(messages, system):
      """Meta's Llama 2 chat template: <<SYS>> in the first [INST], one <s>…</s> per exchange."""
      texts = [${text} for m in messages]
      users, answers = texts[0::2], texts[1::2]
      if system:
          users[0] = f"<<SYS>>\n{system}\n<</SYS>>\n\n{users[0]}"
      prompt = ""
      for user, answer in zip(users, answers):
          prompt += f"<s>[INST] {user.strip(WHITESPACE)} [/INST] {answer.strip(WHITESPACE)} </s>"
      return prompt + f"<s>[INST] {users[-1].strip(WHITESPACE)} [/INST]"
  `;
}

export function llama3Prompt(parts: boolean): Code {
  const text = parts ? 'text_of(m)' : 'm["content"][0]["text"]';
  return code`


  def llama3_prompt(messages, system):
      """Meta's Llama 3 template: one header block per message, then an open assistant header."""
      def block(role, text):
          return f"<|start_header_id|>{role}<|end_header_id|>\n\n{text.strip(WHITESPACE)}<|eot_id|>"

      prompt = "<|begin_of_text|>"
      if system:
          prompt += block("system", system)
      for m in messages:
          prompt += block(m["role"], ${text})
      return prompt + "<|start_header_id|>assistant<|end_header_id|>\n\n"
  `;
}
