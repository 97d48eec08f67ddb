"""Tests for nnkit.plots: each function draws the expected artists and returns its Axes."""

import matplotlib

matplotlib.use("Agg")  # headless: must come before pyplot is imported anywhere in this module

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from nnkit import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures_and_forbid_show(monkeypatch):
    def _no_show(*args, **kwargs):
        raise AssertionError("nnkit.plots must never call plt.show()")

    monkeypatch.setattr(plt, "show", _no_show)
    yield
    plt.close("all")


def _line_predict(P):
    return (P[0:1] + P[1:2] > 0).astype(float)


# ----------------------------------------------------------------------------- decision boundary


def test_decision_boundary_draws_contour_and_points():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 30))
    Y = _line_predict(X)
    calls = []

    def predict(P):
        calls.append(P.shape)
        return _line_predict(P)

    ax = plots.plot_decision_boundary(predict, X, Y, resolution=50, title="line")
    assert isinstance(ax, Axes)
    assert calls == [(2, 2500)]
    assert sum(isinstance(c, ContourSet) for c in ax.collections) == 1
    scatters = [c for c in ax.collections if isinstance(c, PathCollection) and not isinstance(c, ContourSet)]
    assert len(scatters) == 1 and scatters[0].get_offsets().shape == (30, 2)
    assert ax.get_title() == "line"
    x_lo, x_hi = ax.get_xlim()
    assert x_lo == pytest.approx(X[0].min() - 1.0) and x_hi == pytest.approx(X[0].max() + 1.0)


def test_decision_boundary_draws_into_given_axes_and_accepts_multiclass():
    _, given_ax = plt.subplots()
    X = np.array([[0.0, 1.0, 2.0], [0.0, 1.0, 2.0]])
    Y = np.array([[0.0, 1.0, 2.0]])
    ax = plots.plot_decision_boundary(lambda P: np.floor(np.clip(P[0:1], 0, 2)), X, Y, ax=given_ax, resolution=20)
    assert ax is given_ax
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize(
    "predict, X, Y, match",
    [
        (lambda P: np.zeros((1, 3)), np.zeros((2, 4)), np.zeros((1, 4)), "predict must return"),
        ("not callable", np.zeros((2, 4)), np.zeros((1, 4)), "predict"),
        (_line_predict, np.zeros((3, 4)), np.zeros((1, 4)), "X must have shape"),
        (_line_predict, np.zeros((2, 4)), np.zeros((1, 5)), "columns"),
    ],
)
def test_decision_boundary_validates(predict, X, Y, match):
    with pytest.raises((ValueError, TypeError), match=match):
        plots.plot_decision_boundary(predict, X, Y, resolution=10)


# ----------------------------------------------------------------------------- costs


def test_plot_costs_single_curve_with_spacing():
    ax = plots.plot_costs([0.7, 0.5, 0.3, 0.2], every=100, title="t")
    assert isinstance(ax, Axes)
    assert len(ax.lines) == 1
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0, 100, 200, 300])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [0.7, 0.5, 0.3, 0.2])
    assert ax.get_legend() is None
    assert ax.get_xlabel() == "iteration" and ax.get_yscale() == "linear"


def test_plot_costs_dict_draws_one_labelled_curve_each():
    costs = {"lr=0.1": [1.0, 0.5], "lr=0.01": [1.0, 0.9, 0.8], "lr=1": np.array([1.0, 2.0])}
    ax = plots.plot_costs(costs, log_scale=True, xlabel="epoch")
    assert len(ax.lines) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(costs)
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"


@pytest.mark.parametrize(
    "costs, kwargs, match",
    [
        ([], {}, "costs"),
        ({}, {}, "costs"),
        ([1.0, 0.0], {"log_scale": True}, "log_scale"),
        ([1.0, 0.5], {"every": 0}, "every"),
        ({"a": [[1.0]]}, {}, "costs\\['a'\\]"),
    ],
)
def test_plot_costs_validates(costs, kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_costs(costs, **kwargs)


# ----------------------------------------------------------------------------- gradient norms


def test_gradient_norm_curves_one_per_layer_on_log_axis():
    norms = {"dW1": [1e-6, 1e-7, 0.0], "dW2": [1e-3, 1e-3, 1e-4], "dW3": [1.0, 0.5, 0.2]}
    ax = plots.plot_gradient_norms(norms, title="vanishing")
    assert isinstance(ax, Axes)
    assert len(ax.lines) == 3
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["dW1", "dW2", "dW3"]


def test_gradient_norm_bars_one_per_layer():
    ax = plots.plot_gradient_norms({"layer 1": 1e-5, "layer 2": np.float64(1e-2), "layer 3": 1.0})
    assert len(ax.patches) == 3 and len(ax.lines) == 0
    assert ax.get_yscale() == "log"
    assert [p.get_height() for p in ax.patches] == [1e-5, 1e-2, 1.0]


@pytest.mark.parametrize(
    "norms, match",
    [
        ({"a": 1.0, "b": [1.0, 2.0]}, "mix"),
        ([1.0, 2.0], "dict"),
        ({}, "dict"),
        ({"a": [-1.0]}, "norms\\['a'\\]"),
    ],
)
def test_gradient_norms_validate(norms, match):
    with pytest.raises((ValueError, TypeError), match=match):
        plots.plot_gradient_norms(norms)


# ----------------------------------------------------------------------------- image grid


def _images(m, channels=True):
    rng = np.random.default_rng(0)
    shape = (m, 8, 8, 1) if channels else (m, 8, 8)
    return rng.integers(0, 256, size=shape, dtype=np.uint8)


def test_image_grid_titles_and_mistakes_in_red():
    labels = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
    preds = np.array([[1.0, 1.0, 1.0, 0.0, 0.0]])
    axes = plots.plot_image_grid(_images(5), labels, preds, class_names=("cat", "dog"), ncols=3)
    assert axes.shape == (2, 3)
    drawn = axes.ravel()[:5]
    titles = [ax.get_title() for ax in drawn]
    assert titles[0] == "y=dog\npred=dog" and titles[1] == "y=cat\npred=dog"
    colors = [matplotlib.colors.to_hex(ax.title.get_color()) for ax in drawn]
    red = matplotlib.colors.to_hex("red")
    assert [c == red for c in colors] == [False, True, False, True, False]
    assert all(len(ax.images) == 1 for ax in drawn)
    assert drawn[0].images[0].get_cmap().name == "gray"
    assert not axes.ravel()[5].axison  # the unused cell is hidden


def test_image_grid_caps_images_and_accepts_3d_input_without_labels():
    axes = plots.plot_image_grid(_images(50, channels=False), ncols=8, max_images=20)
    assert axes.shape == (3, 8)
    assert sum(len(ax.images) for ax in axes.ravel()) == 20
    assert all(ax.get_title() == "" for ax in axes.ravel())


def test_image_grid_uses_given_axes_and_rgb():
    _, given = plt.subplots(1, 4)
    rgb = np.random.default_rng(1).random((4, 5, 5, 3))
    axes = plots.plot_image_grid(rgb, labels=[0, 1, 2, 3], axes=given)
    assert all(a is b for a, b in zip(axes.ravel(), given))
    assert [ax.get_title() for ax in axes] == ["y=0", "y=1", "y=2", "y=3"]
    assert len(plt.get_fignums()) == 1


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(images=np.zeros((3, 8))), "images"),
        (dict(images=np.zeros((3, 8, 8, 2))), "images"),
        (dict(images=np.zeros((3, 8, 8)), labels=np.zeros(4)), "labels"),
        (dict(images=np.zeros((3, 8, 8)), predictions=np.zeros((2, 3))), "predictions"),
        (dict(images=np.zeros((3, 8, 8)), ncols=0), "ncols"),
    ],
)
def test_image_grid_validates(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.plot_image_grid(**kwargs)


def test_image_grid_needs_enough_axes():
    _, given = plt.subplots(1, 2)
    with pytest.raises(ValueError, match="axes"):
        plots.plot_image_grid(np.zeros((3, 8, 8)), axes=given)
