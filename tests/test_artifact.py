"""Reading model directories safely (stance.artifact)."""

import json
import shutil

import pytest

from stance import ModelLoadError, StanceClassifier
from stance.artifact import merge_lora, read_meta


def test_missing_directory_names_the_path(tmp_path):
    with pytest.raises(ModelLoadError, match="does not exist"):
        StanceClassifier.from_pretrained(tmp_path / "nowhere")


def test_missing_meta_file(tmp_path, tiny_model_dir):
    copy = shutil.copytree(tiny_model_dir, tmp_path / "m")
    (copy / "stance_model.json").unlink()
    with pytest.raises(ModelLoadError, match="stance_model.json"):
        StanceClassifier.from_pretrained(copy)


def test_missing_tokenizer(tmp_path, tiny_model_dir):
    copy = shutil.copytree(tiny_model_dir, tmp_path / "m")
    (copy / "tokenizer.json").unlink()
    with pytest.raises(ModelLoadError, match="tokenizer.json"):
        StanceClassifier.from_pretrained(copy)


def test_pickled_weights_are_refused(tmp_path, tiny_model_dir):
    # A directory with only pytorch_model.bin must not be unpickled: loading it could run code.
    copy = shutil.copytree(tiny_model_dir, tmp_path / "m")
    (copy / "model.safetensors").rename(copy / "pytorch_model.bin")
    with pytest.raises(ModelLoadError, match="pickled"):
        StanceClassifier.from_pretrained(copy)


def test_corrupt_weights_are_reported(tmp_path, tiny_model_dir):
    copy = shutil.copytree(tiny_model_dir, tmp_path / "m")
    (copy / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match="cannot read weights"):
        StanceClassifier.from_pretrained(copy)


def test_unknown_format_version(tmp_path, tiny_model_dir):
    copy = shutil.copytree(tiny_model_dir, tmp_path / "m")
    meta = json.loads((copy / "stance_model.json").read_text())
    meta["format_version"] = 99
    (copy / "stance_model.json").write_text(json.dumps(meta))
    with pytest.raises(ModelLoadError, match="format_version 99"):
        read_meta(copy)


def test_remote_code_in_config_is_ignored(tmp_path, tiny_model_dir):
    # auto_map would make transformers import model code from the directory with
    # trust_remote_code=True; stance never passes it, so the file below is never run.
    copy = shutil.copytree(tiny_model_dir, tmp_path / "m")
    config = json.loads((copy / "config.json").read_text())
    config["auto_map"] = {"AutoModelForSequenceClassification": "evil.Model"}
    (copy / "config.json").write_text(json.dumps(config))
    (copy / "evil.py").write_text("raise SystemExit('remote code ran')\n")
    classifier = StanceClassifier.from_pretrained(copy)
    assert classifier.labels == ("dialogue", "pressure", "neutral")


def test_lora_merge_matches_peft(tmp_path):
    # Our merge (W += B @ A * alpha / r, plus the saved head) must give the same logits as
    # peft's own merge_and_unload on the same adapter.
    import torch
    from peft import LoraConfig, TaskType, get_peft_model
    from transformers import BertConfig, BertForSequenceClassification

    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, num_labels=3)
    torch.manual_seed(0)
    base = BertForSequenceClassification(config)
    base_state = {k: v.clone() for k, v in base.state_dict().items()}
    lora = LoraConfig(task_type=TaskType.SEQ_CLS, r=4, lora_alpha=8,
                      target_modules=r".*encoder.*\.(query|key|value|dense)$",
                      modules_to_save=["classifier", "pooler"])
    peft_model = get_peft_model(base, lora)
    with torch.no_grad():
        for param in peft_model.parameters():
            if param.requires_grad:
                param.add_(torch.randn_like(param) * 0.1)
    peft_model.save_pretrained(tmp_path)
    ids = torch.randint(0, 50, (2, 7))
    peft_model.eval()
    expected = peft_model.merge_and_unload()(input_ids=ids).logits
    fresh = BertForSequenceClassification(config)
    fresh.load_state_dict(base_state)
    merge_lora(fresh, tmp_path)
    fresh.eval()
    assert torch.allclose(fresh(input_ids=ids).logits, expected, atol=1e-5)


def _wrong_shape_weights(file):
    import torch
    from safetensors.torch import save_file

    save_file({"bert.embeddings.word_embeddings.weight": torch.zeros(3, 3)}, str(file))


def _rewrite_json(change):
    def corrupt(file):
        file.write_text(json.dumps(change(json.loads(file.read_text()))))
    return corrupt


# Each corruption of a model directory, and the file its ModelLoadError must name.
CORRUPTIONS = {
    "config not JSON": ("config.json", lambda f: f.write_text("{not json")),
    "config not UTF-8": ("config.json", lambda f: f.write_bytes(b"\xff\xfe{}")),
    "config without labels": ("config.json", _rewrite_json(lambda c: {"model_type": "bert"})),
    "tokenizer not JSON": ("tokenizer.json", lambda f: f.write_text("{garbage")),
    "tokenizer not a tokenizer": ("tokenizer.json", lambda f: f.write_text('{"model": {}}')),
    "weights truncated": ("model.safetensors", lambda f: f.write_bytes(f.read_bytes()[:5000])),
    "weights empty": ("model.safetensors", lambda f: f.write_bytes(b"")),
    "weights of another shape": ("model.safetensors", _wrong_shape_weights),
    "meta not an object": ("stance_model.json", lambda f: f.write_text("[1, 2]")),
    "meta max_length not a number": ("stance_model.json", _rewrite_json(lambda m: {**m, "max_length": "x"})),
    "meta temperature zero": ("stance_model.json", _rewrite_json(lambda m: {**m, "temperature": 0})),
}


@pytest.mark.parametrize("backend", ["torch", "auto"])
@pytest.mark.parametrize("name", sorted(CORRUPTIONS))
def test_corrupt_files_are_reported_with_path_and_problem(tmp_path, tiny_model_dir, name, backend):
    file_name, corrupt = CORRUPTIONS[name]
    copy = shutil.copytree(tiny_model_dir, tmp_path / "m")
    corrupt(copy / file_name)
    with pytest.raises(ModelLoadError) as info:
        StanceClassifier.from_pretrained(copy, device="cpu", backend=backend)
    message = str(info.value)
    assert str(copy / file_name) in message
    assert len(message) > len(str(copy / file_name)) + 10  # and says what is wrong


def test_interrupted_save_loads_the_previous_model(tmp_path, tiny_model_dir):
    # A save killed between its two renames leaves only <dir>.old (tests/training/test_atomic_save.py).
    shutil.copytree(tiny_model_dir, tmp_path / "model.old")
    classifier = StanceClassifier.from_pretrained(tmp_path / "model", device="cpu", backend="torch")
    assert classifier.path == tmp_path / "model.old"
    with pytest.raises(ModelLoadError, match="does not exist"):
        StanceClassifier.from_pretrained(tmp_path / "other")
