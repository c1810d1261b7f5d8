"""The four spellings of momentum give heavy ball's iterates, to 1e-10."""

import numpy as np
import pytest
from reference import pytorch_sgd_loop

import momentum_core as mc

PROBLEM = mc.Quadratic.ravine(0.1, 10.0, angle=0.25, w_star=(0.5, -0.2))
W0 = np.array([-3.0, -1.4])
RUNS = {"polyak": mc.polyak, "pytorch": mc.pytorch_sgd, "keras": mc.keras_sgd, "ema": mc.ema_sgd}


@pytest.mark.parametrize(
    ("alpha", "beta"), [(0.02, 0.99), (0.1, 0.5), (0.15, 0.0), (0.05, -0.4), (0.19, 0.9)]
)
def test_every_formulation_equals_heavy_ball(alpha, beta):
    expected = mc.heavy_ball(PROBLEM, W0, alpha, beta, 400)
    settings = mc.equivalent_settings(alpha, beta)
    for name, run in RUNS.items():
        got = run(PROBLEM, W0, *settings[name].values(), 400)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10, err_msg=name)


def test_pytorch_spelling_matches_the_transcribed_torch_rule():
    np.testing.assert_allclose(
        mc.pytorch_sgd(PROBLEM, W0, 0.05, 0.9, 200),
        pytorch_sgd_loop(PROBLEM.A, PROBLEM.b, W0, 0.05, 0.9, 200),
        atol=1e-12,
    )


def test_ema_form_without_the_rescaled_rate_is_a_smaller_step():
    # same lr in the EMA form is heavy ball with α(1 − β): not the same path
    alpha, beta = 0.02, 0.9
    ema_same_lr = mc.ema_sgd(PROBLEM, W0, alpha, beta, 100)
    np.testing.assert_allclose(
        ema_same_lr, mc.heavy_ball(PROBLEM, W0, alpha * (1 - beta), beta, 100), atol=1e-10
    )
    assert np.abs(ema_same_lr - mc.heavy_ball(PROBLEM, W0, alpha, beta, 100)).max() > 0.1


def test_divergent_runs_end_in_inf_not_nan():
    run = mc.keras_sgd(PROBLEM, W0, 1.0, 0.9, 2000)
    assert mc.diverged(run) and not np.isnan(run).any()
    with pytest.raises(ValueError):
        mc.equivalent_settings(0.1, 1.0)


def test_the_heavy_ball_step_by_step_is_the_closed_form_and_exact_where_the_colour_has_not_reached():
    """heavy_ball_steps equals trajectories.heavy_ball on a converging run; on a diverging run over a
    path graph the pixels the colour cannot have reached after k steps (j > k) are exactly 0 — where
    the closed form's w* + Qx leaves the round-off of its 10¹⁴-sized components."""
    problem = mc.colorization(60)
    alpha, beta = mc.optimal_parameters(*problem.eigenvalues[[0, -1]])
    np.testing.assert_allclose(
        mc.heavy_ball_steps(problem, np.zeros(60), alpha, beta, 300),
        mc.heavy_ball(problem, np.zeros(60), alpha, beta, 300),
        atol=1e-12,
    )
    problem = mc.colorization(200)
    steps = mc.heavy_ball_steps(problem, np.zeros(200), 1.0133, 1.0, 180)
    assert np.all(np.isfinite(steps)) and np.abs(steps[-1]).max() > 1e14  # diverging
    assert np.all(steps[-1][181:] == 0.0)
    closed = mc.heavy_ball(problem, np.zeros(200), 1.0133, 1.0, 180)
    assert np.abs(closed[-1][181:]).max() > 1e-3  # what the closed form leaves there


def test_nesterov_step_by_step_is_the_closed_form():
    np.testing.assert_allclose(
        mc.nesterov_steps(PROBLEM, W0, 0.05, 0.9, 300), mc.nesterov(PROBLEM, W0, 0.05, 0.9, 300), atol=1e-12
    )
    diverging = mc.nesterov_steps(PROBLEM, W0, 0.5, 0.9, 2000)
    assert not np.isnan(diverging).any() and np.isinf(diverging[-1]).all()
