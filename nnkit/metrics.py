"""Turning network outputs into labels, and labels into a score.

Two small functions used by every notebook: :func:`predict_labels` converts the last layer's
activations ``AL`` into class labels, :func:`accuracy` compares labels with the truth. Both keep
the course layout (one example per column).

Non-goals: no losses (they live with the networks that differentiate them), no precision/recall
or confusion matrices, no sample weights.
"""

from __future__ import annotations

import numpy as np

from nnkit._checks import as_array, check_number

__all__ = ["accuracy", "predict_labels"]


def predict_labels(AL, threshold: float = 0.5) -> np.ndarray:
    """Labels from the output layer's activations.

    Parameters
    ----------
    AL : ndarray of shape (1, m) or (K, m)
        Sigmoid outputs (one row) or per-class scores such as softmax probabilities (K rows).
    threshold : float, default 0.5
        For one row: an example is labelled 1 when ``AL > threshold`` (strictly, as in the classic
        course). Ignored for ``K > 1``.

    Returns
    -------
    ndarray of shape (1, m)
        Float 0./1. for one row; for ``K > 1`` the class id with the highest score (ties go to
        the lowest id), as a float.
    """
    AL = as_array("AL", AL)
    check_number("threshold", threshold)
    if AL.shape[0] == 0:
        raise ValueError(f"AL must have at least one row (one per output unit), got shape {AL.shape}.")
    if not np.all(np.isfinite(AL)):  # nan > 0.5 is False: every such example would silently be class 0
        raise ValueError(f"AL contains non-finite values such as {AL[~np.isfinite(AL)][:3].tolist()}: the forward "
                         "pass overflowed or training diverged (try a smaller learning rate); no label can be read.")
    return _predict_labels(AL, threshold)


def _predict_labels(AL: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Unchecked :func:`predict_labels` (train's records: a diverged run still records its accuracy)."""
    if AL.shape[0] == 1:
        return (AL > threshold).astype(float)
    return np.argmax(AL, axis=0).astype(float).reshape(1, -1)


def accuracy(Y_pred, Y) -> float:
    """Fraction of examples whose predicted label equals the true label.

    Parameters
    ----------
    Y_pred : ndarray of shape (1, m) or (K, m)
        Predicted labels: class ids in one row (e.g. from :func:`predict_labels`), or a (K, m)
        array of scores/one-hot columns, compared by their argmax over the K rows.
    Y : ndarray of the same shape as Y_pred
        True labels in the same form.

    Returns
    -------
    float
        In ``[0, 1]``.
    """
    Y_pred = as_array("Y_pred", Y_pred)
    Y = as_array("Y", Y)
    if Y_pred.shape != Y.shape:
        hint = ""
        if Y_pred.shape == Y.shape[::-1]:
            hint = " It looks transposed: examples are columns, try Y_pred.T."
        elif Y_pred.shape[0] != Y.shape[0] and Y_pred.shape[1] == Y.shape[1]:
            hint = (" Convert both to the same form first: predict_labels(AL) for class ids, "
                    "or one_hot(Y) for (K, m) columns.")
        raise ValueError(f"Y_pred and Y must have the same shape, got Y_pred {Y_pred.shape} and Y {Y.shape}.{hint}")
    if Y.shape[1] == 0:
        raise ValueError("Y_pred and Y hold no examples (m = 0); accuracy is undefined.")
    if Y.shape[0] > 1:
        return float(np.mean(np.argmax(Y_pred, axis=0) == np.argmax(Y, axis=0)))
    for name, arr in (("Y_pred", Y_pred), ("Y", Y)):
        # comparing probabilities with == would silently score almost 0: catch it here
        if np.any(arr != np.round(arr)):
            raise ValueError(
                f"{name} must hold class labels (0., 1., ...), got non-integer values such as "
                f"{arr[arr != np.round(arr)][:3].tolist()}. If these are probabilities, convert them "
                f"first with predict_labels({name})."
            )
    return float(np.mean(Y_pred == Y))
