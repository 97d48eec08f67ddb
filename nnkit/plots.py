"""The handful of pictures the course draws again and again, in plain matplotlib.

Decision boundaries of 2-D classifiers, cost curves, per-layer gradient norms (to *see* vanishing
or exploding gradients) and grids of images with their labels and predictions.

Every function takes ``ax=None`` (a fresh figure is created when it is ``None``, otherwise it draws
into the axes given), returns the Axes it drew on, and never calls ``plt.show()``: in a notebook
the figure shows itself, in a script or a test nothing blocks.

Non-goals: no styling framework, no interactive widgets, no saving to files (use
``ax.figure.savefig``), no seaborn.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np

from nnkit._checks import as_array, check_int, check_positive, check_same_columns, check_shape

__all__ = ["plot_decision_boundary", "plot_costs", "plot_gradient_norms", "plot_image_grid"]

_CMAP = "Spectral"  # the colour map of the classic course's planar-data plots
_MISTAKE_COLOR = "red"


def _new_axes(ax):
    """Return ``ax``, or the axes of a new figure when it is ``None``."""
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _curve(name: str, values) -> np.ndarray:
    """A non-empty 1-D float array from a sequence of recorded numbers."""
    arr = as_array(name, values, ndim=None)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers, got shape {arr.shape}.")
    return arr


def plot_decision_boundary(predict, X, Y, ax=None, *, resolution: int = 200, padding: float = 1.0, title=None):
    """Colour the plane by a classifier's prediction and scatter the labelled examples on top.

    Parameters
    ----------
    predict : callable
        Maps an array of shape ``(2, k)`` (k points as columns) to labels of shape ``(1, k)``
        (0./1., or class ids for more classes), e.g. ``lambda P: predict_labels(model(P))``.
    X : ndarray of shape (2, m)
        The examples to scatter; they also fix the plotted region.
    Y : ndarray of shape (1, m)
        Their true labels, used for the point colours.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    resolution : int, default 200
        Grid points per axis (``predict`` is called once on ``resolution**2`` columns).
    padding : float, default 1.0
        Margin added around the data on every side, in data units.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not callable(predict):
        raise TypeError(f"predict must be a function mapping a (2, k) array to (1, k) labels, got {type(predict).__name__}.")
    X = as_array("X", X)
    Y = as_array("Y", Y)
    check_shape("X", X, [(2, "n_x"), None], hint="plot_decision_boundary draws 2-D data only.")
    check_shape("Y", Y, [1, None])
    check_same_columns(X=X, Y=Y)
    resolution = check_int("resolution", resolution, minimum=2)
    padding = check_positive("padding", padding, allow_zero=True)
    ax = _new_axes(ax)
    x_min, x_max = X[0].min() - padding, X[0].max() + padding
    y_min, y_max = X[1].min() - padding, X[1].max() + padding
    xx, yy = np.meshgrid(np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution))
    grid = np.vstack([xx.ravel(), yy.ravel()])
    Z = np.asarray(predict(grid), dtype=float)
    if Z.size != grid.shape[1]:
        raise ValueError(
            f"predict must return one label per column: called on shape {grid.shape} it should give "
            f"(1, {grid.shape[1]}), got {Z.shape}."
        )
    Z = Z.reshape(xx.shape)
    # one colour band per class id: levels at the half-integers between ids
    n_colors = int(max(np.nanmax(Z), Y.max(), 1)) + 1
    levels = np.arange(n_colors + 1) - 0.5
    ax.contourf(xx, yy, Z, levels=levels, cmap=_CMAP, alpha=0.5, vmin=0, vmax=n_colors - 1)
    ax.scatter(X[0], X[1], c=Y[0], cmap=_CMAP, vmin=0, vmax=n_colors - 1, s=20, edgecolors="k", linewidths=0.5)
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title is not None:
        ax.set_title(title)
    return ax


def plot_costs(costs, ax=None, *, every=1, xlabel: str = "iteration", title=None, log_scale: bool = False):
    """Plot one or several cost curves recorded during training.

    Parameters
    ----------
    costs : sequence of float, or dict of str to sequence of float
        One curve, or one curve per label (e.g. ``{"lr=0.1": c1, "lr=0.01": c2}``), drawn in dict
        order with a legend.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    every : int or float, default 1
        Spacing on the x axis between recorded costs: ``costs[i]`` is drawn at ``i * every``
        (e.g. ``every=100`` when the cost was recorded every 100 iterations).
    xlabel : str, default "iteration"
    title : str, optional
    log_scale : bool, default False
        Log y axis (all costs must then be > 0).

    Returns
    -------
    matplotlib.axes.Axes
    """
    check_positive("every", every)  # the x spacing between recorded costs (an int stays an int)
    if isinstance(costs, Mapping):
        if not costs:
            raise ValueError("costs is an empty dict: pass at least one label -> sequence of costs.")
        curves = {str(k): _curve(f"costs[{k!r}]", v) for k, v in costs.items()}
    else:
        curves = {None: _curve("costs", costs)}
    if log_scale:
        for label, c in curves.items():
            if np.any(c <= 0):
                name = "costs" if label is None else f"costs[{label!r}]"
                raise ValueError(f"log_scale=True needs costs > 0, but {name} contains {c[c <= 0][0]!r}; use log_scale=False.")
    ax = _new_axes(ax)
    for label, c in curves.items():
        ax.plot(np.arange(c.size) * every, c, label=label)
    if log_scale:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cost")
    if len(curves) > 1 or None not in curves:
        ax.legend()
    if title is not None:
        ax.set_title(title)
    return ax


def plot_gradient_norms(norms, ax=None, *, title=None):
    """Show how large the gradients are in each layer, on a log scale.

    Parameters
    ----------
    norms : dict of str to sequence of float, or dict of str to float
        Layer label (e.g. ``"dW1"``) to its gradient norm at every recorded training step (one
        curve per layer), or to a single norm (one bar per layer). Norms must be >= 0.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is created when omitted.
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(norms, Mapping) or not norms:
        raise TypeError(
            f"norms must be a non-empty dict mapping a layer label to a norm or a sequence of norms, "
            f"got {type(norms).__name__}."
        )
    scalar = [isinstance(v, numbers.Real) or np.ndim(v) == 0 for v in norms.values()]
    if any(scalar) and not all(scalar):
        raise ValueError("norms must map every layer to a single number, or every layer to a sequence; got a mix.")
    values = {str(k): _curve(f"norms[{k!r}]", np.atleast_1d(v)) for k, v in norms.items()}
    for label, v in values.items():
        if not np.all(v >= 0):
            raise ValueError(f"norms[{label!r}] must hold norms >= 0, got {v[~(v >= 0)][0]!r}.")
    ax = _new_axes(ax)
    if all(scalar):
        labels = list(values)
        ax.bar(labels, [v[0] for v in values.values()], color="C0")
        ax.set_xlabel("layer")
    else:
        for label, v in values.items():
            ax.plot(np.arange(v.size), v, label=label)
        ax.set_xlabel("step")
        ax.legend()
    # gradients that vanish or explode differ by orders of magnitude: only a log axis shows both
    ax.set_yscale("log")
    ax.set_ylabel("gradient norm")
    if title is not None:
        ax.set_title(title)
    return ax


def _label_text(value, class_names) -> str:
    """How a label is written in a title: its class name, or the integer id."""
    as_int = int(round(float(value)))
    if class_names is not None and 0 <= as_int < len(class_names):
        return str(class_names[as_int])
    return str(as_int) if float(value) == as_int else f"{float(value):g}"


def _flat_labels(name: str, labels, m: int):
    """Labels as a length-m 1-D array, from shape (m,) or (1, m); ``None`` stays ``None``."""
    if labels is None:
        return None
    arr = as_array(name, labels, ndim=None)
    if arr.ndim == 2 and arr.shape[0] == 1:
        arr = arr[0]
    if arr.ndim != 1 or arr.size != m:
        raise ValueError(f"{name} must have shape ({m},) or (1, {m}), one label per image; got {arr.shape}.")
    return arr


def plot_image_grid(images, labels=None, predictions=None, *, class_names=None, ncols: int = 8,
                    max_images: int = 32, axes=None):
    """Show images in a grid, titled with their label and prediction; mistakes in red.

    Parameters
    ----------
    images : ndarray of shape (m, h, w, c) or (m, h, w)
        uint8 (0..255) or float (0..1) pixels; ``c == 1`` or no channel axis is drawn in grey.
    labels : ndarray of shape (m,) or (1, m), optional
        True labels (class ids), shown as ``y=...``.
    predictions : ndarray of shape (m,) or (1, m), optional
        Predicted labels, shown as ``pred=...``; with ``labels`` given, a wrong prediction gets a
        red title and a red frame.
    class_names : sequence of str, optional
        ``class_names[id]`` is printed instead of the id.
    ncols : int, default 8
        Images per row.
    max_images : int, default 32
        Only the first ``max_images`` images are drawn.
    axes : array of matplotlib.axes.Axes, optional
        Where to draw (at least ``min(m, max_images)`` axes); a new figure is created when omitted.

    Returns
    -------
    ndarray of matplotlib.axes.Axes
        The grid, shape ``(nrows, ncols)`` when created here, else ``axes`` as an array.
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., np.newaxis]
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4) or images.shape[0] == 0:
        raise ValueError(
            f"images must have shape (m, h, w, c) with c in (1, 3, 4), or (m, h, w), with m >= 1; "
            f"got {images.shape}. Flattened columns? Reshape them: X.T.reshape(m, h, w, c)."
        )
    m = images.shape[0]
    labels = _flat_labels("labels", labels, m)
    predictions = _flat_labels("predictions", predictions, m)
    ncols = check_int("ncols", ncols, minimum=1)
    max_images = check_int("max_images", max_images, minimum=1)
    n = min(m, max_images)
    pixels = images[:n].astype(float)
    # uint8 images, or float images still on the 0..255 scale, are drawn on a 0..1 scale so that
    # grey levels are comparable between images (imshow would otherwise stretch each one)
    if np.issubdtype(images.dtype, np.integer) or pixels.max() > 1.0:
        pixels = pixels / 255.0
    if axes is None:
        ncols = min(ncols, n)
        nrows = math.ceil(n / ncols)
        _, axes = plt.subplots(nrows, ncols, figsize=(1.4 * ncols, 1.6 * nrows), squeeze=False)
    axes = np.asarray(axes, dtype=object)
    flat = axes.ravel()
    if flat.size < n:
        raise ValueError(f"axes holds {flat.size} Axes but {n} images are to be drawn; pass more axes or max_images={flat.size}.")
    for i, ax in enumerate(flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= n:
            ax.set_axis_off()  # empty cells of the last row
            continue
        img = pixels[i]
        if img.shape[-1] == 1:
            ax.imshow(img[..., 0], cmap="gray", vmin=0.0, vmax=1.0)
        else:
            ax.imshow(img)
        parts = []
        if labels is not None:
            parts.append(f"y={_label_text(labels[i], class_names)}")
        if predictions is not None:
            parts.append(f"pred={_label_text(predictions[i], class_names)}")
        wrong = labels is not None and predictions is not None and labels[i] != predictions[i]
        color = _MISTAKE_COLOR if wrong else "black"
        ax.set_title("\n".join(parts), fontsize=8, color=color)
        if wrong:
            for spine in ax.spines.values():
                spine.set_edgecolor(_MISTAKE_COLOR)
                spine.set_linewidth(2)
    return axes
