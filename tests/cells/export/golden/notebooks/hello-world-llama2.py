# %%
# Hello world, Llama 2: exported from Bedrock Playground.
# Run the cells in order. Each target keeps its own conversation, so later prompts see that
# model's own earlier answers, as in the playground.

import json

import boto3
from botocore.exceptions import ClientError

# Create a Bedrock Runtime client in the AWS Region you want to use. It finds credentials
# through the default chain (environment, ~/.aws/credentials, SSO, instance role); to use a
# named profile, create it with boto3.Session(profile_name="my-profile").client(...).
client = boto3.client("bedrock-runtime", region_name="us-east-1")

# The models this notebook compares.
TARGETS = {}

# One conversation per target, and the context that system and config cells set.
conversations = {target_id: [] for target_id in TARGETS}
system = None
inference_config = {}
additional_fields = {}


def send_native(model_id, family, body):
    """Sends a native body through InvokeModelWithResponseStream; prints the answer and returns its text."""
    response = client.invoke_model_with_response_stream(modelId=model_id, body=json.dumps(body))
    answer = ""
    for event in response["body"]:
        chunk = json.loads(event["chunk"]["bytes"])
        if family == "llama2":
            if chunk.get("generation"):
                text = chunk["generation"]
                print(text, end="", flush=True)
                answer += text
        metrics = chunk.get("amazon-bedrock-invocationMetrics")
        if metrics:
            print()
            print()
            print(f"Input tokens: {metrics['inputTokenCount']}, output tokens: {metrics['outputTokenCount']}")
            print(f"Latency: {metrics['invocationLatency']} ms")
    return answer

# The whitespace JavaScript's trim() removes, so prompts are stripped exactly as the
# playground strips them.
WHITESPACE = "\t\n\x0B\x0C\r \xA0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF"


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


def llama2_prompt(messages, system):
    """Meta's Llama 2 chat template: <<SYS>> in the first [INST], one <s>…</s> per exchange."""
    texts = [m["content"][0]["text"] for m in messages]
    users, answers = texts[0::2], texts[1::2]
    if system:
        users[0] = f"<<SYS>>\n{system}\n<</SYS>>\n\n{users[0]}"
    prompt = ""
    for user, answer in zip(users, answers):
        prompt += f"<s>[INST] {user.strip(WHITESPACE)} [/INST] {answer.strip(WHITESPACE)} </s>"
    return prompt + f"<s>[INST] {users[-1].strip(WHITESPACE)} [/INST]"


def ask(target_id):
    """Sends one target its conversation with the current context; returns the answer."""
    target = TARGETS[target_id]
    messages = conversations[target_id]
    fields = additional_fields.get(target_id, {})
    print(f"\n--- {target['label']} ---")
    try:
        if target["family"] == "llama2":
            return send_native(target["model_id"], "llama2", llama_body(llama2_prompt(messages, system), inference_config, fields, target["max_tokens_limit"]))
        raise ValueError(f"no way to call {target['model_id']}")
    except (ClientError, Exception) as e:
        print(f"ERROR: Can't invoke '{target['model_id']}'. Reason: {e}")
        exit(1)


def run_native(label, model_id, family, body):
    """Sends a native cell's body exactly as written."""
    print(f"\n--- {label} ---")
    try:
        return send_native(model_id, family, body)
    except (ClientError, Exception) as e:
        print(f"ERROR: Can't invoke '{model_id}'. Reason: {e}")
        exit(1)

# %% [markdown]
# # Hello world, Llama 2
#
# A raw native cell: the InvokeModel body for Llama 2 13B Chat, sent exactly as written.
# The prompt already carries Llama 2's chat template (`<s>[INST] … [/INST]`), and
# `max_gen_len` is Llama's name for the answer's token limit.

# %%
# Cell 2: native "hello"
# A native request body for Llama 2 13B Chat, sent exactly as written.
body = {
    "prompt": "<s>[INST] Describe the purpose of a 'hello world' program in one line. [/INST]",
    "max_gen_len": 512,
    "temperature": 0.5,
}
run_native("Llama 2 13B Chat", "meta.llama2-13b-chat-v1", "llama2", body)
