"""Class weights and the prior correction that undoes them: known answers."""

import math

import pytest
import torch

from training.config import TrainConfig
from training.loop import class_weights, prior_correction
from training.modeling import build_model, shift_head_bias


def test_class_weights_are_inverse_frequency_with_mean_one():
    # 4 units, 2 labels: label 0 three times, label 1 once -> N / (K n) = 4/6 and 4/2
    assert class_weights([0, 0, 0, 1], 2).tolist() == pytest.approx([4 / 6, 2.0])
    # a label absent from training keeps weight 1; the present one gets N / (K n) = 2/4
    assert class_weights([0, 0], 2).tolist() == pytest.approx([0.5, 1.0])


def test_prior_correction_is_the_log_label_frequency_up_to_a_constant():
    # -log w = log(K n / N): log(1.5) and log(0.5); the offsets between labels are log(3/1)
    shift = prior_correction([0, 0, 0, 1], 2)
    assert shift.tolist() == pytest.approx([math.log(1.5), math.log(0.5)])
    assert float(shift[0] - shift[1]) == pytest.approx(math.log(3))
    # with balanced labels there is nothing to undo
    assert prior_correction([0, 1, 2], 3).tolist() == pytest.approx([0.0, 0.0, 0.0])


@pytest.mark.parametrize("method", ["lora", "full"])
def test_shift_head_bias_moves_every_logit_by_the_shift(method):
    config = TrainConfig(tiny_model=True, method=method)
    model = build_model(config, 100).eval()
    ids = torch.tensor([[2, 5, 7, 3]])
    before = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
    shift = torch.tensor([0.5, -1.0, 2.0])
    shift_head_bias(model, shift)
    after = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
    assert (after - before)[0].tolist() == pytest.approx(shift.tolist(), abs=1e-5)
    with pytest.raises(ValueError, match=r"one trainable classifier bias of shape \(2,\)"):
        shift_head_bias(model, torch.zeros(2))
