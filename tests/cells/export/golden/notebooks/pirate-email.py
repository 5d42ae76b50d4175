# %%
# Pirate email: exported from Bedrock Playground.
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
TARGETS = {
    "haiku": {
        "label": "Claude 3 Haiku",
        "model_id": "anthropic.claude-3-haiku-20240307-v1:0",
        "api": "converse",
    },
    "llama2": {
        "label": "Llama 2 13B Chat",
        "model_id": "meta.llama2-13b-chat-v1",
        "api": "invoke",
        "family": "llama2",
        "max_tokens_limit": 2048,
    },
}

# One conversation per target, and the context that system and config cells set.
conversations = {target_id: [] for target_id in TARGETS}
system = None
inference_config = {}
additional_fields = {}


def send_converse(model_id, messages, system, inference_config, fields):
    """Sends a conversation through ConverseStream; prints the answer and returns its text."""
    request = {"modelId": model_id, "messages": messages}
    if system:
        request["system"] = [{"text": system}]
    if inference_config:
        request["inferenceConfig"] = inference_config
    if fields:
        request["additionalModelRequestFields"] = fields
    response = client.converse_stream(**request)
    answer = ""
    for event in response["stream"]:
        if "contentBlockDelta" in event:
            text = event["contentBlockDelta"]["delta"].get("text", "")
            print(text, end="", flush=True)
            answer += text
        elif "metadata" in event:
            usage = event["metadata"]["usage"]
            print()
            print()
            print(f"Input tokens: {usage['inputTokens']}, output tokens: {usage['outputTokens']}")
            print(f"Latency: {event['metadata']['metrics']['latencyMs']} ms")
    return answer


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
        if target["api"] == "converse":
            return send_converse(target["model_id"], messages, system, inference_config, fields)
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
# # Pirate email
#
# One system prompt, one inference config and one prompt, run side by side: Claude 3 Haiku
# through the Converse API and Llama 2 13B Chat through InvokeModel with its native body.
# Open the request view of each column to see how the same cells become a Converse
# `system` field for Claude and a `<<SYS>>` block inside Llama 2's `[INST]` prompt.

# %%
# Cell 2: system "pirate"
# The system prompt for the prompt cells below.
system = "Please respond to all requests in the style of a pirate."

# %%
# Cell 3: config "cfg"
# The inference parameters for the prompt cells below, and extra model fields per target.
inference_config = {"maxTokens": 2000, "temperature": 0}
additional_fields = {}

# %%
# Cell 4: prompt "email"
prompt = "Write an email from Bob, Customer Service Manager, to the customer \"John Doe\" who provided negative feedback on the service provided by our customer support engineer"
for target_id in TARGETS:
    conversations[target_id].append({"role": "user", "content": [{"text": prompt}]})
    answer = ask(target_id)
    conversations[target_id].append({"role": "assistant", "content": [{"text": answer}]})
