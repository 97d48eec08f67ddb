#!/usr/bin/env python
"""Time nnkit's training loop against the numpy floor and PyTorch on the CPU.

Three networks of the course's size, each trained from the same initial parameters on the same
batches by each implementation, interleaved in one run:

- ``nnkit``: the steps of ``nnkit.train.train``'s loop, call for call (``_mini_batches``,
  ``_forward``, ``_backward``, ``opt.unchecked_update``, ``_apply_updates``: the unchecked forms
  of the public functions, as train calls them), without train's setup and its
  records. Those add 1-3% to the short blocks timed here, so they are timed apart:
- ``train()``: the whole call ``train(..., num_epochs=N, record_every=N)``, which validates its
  arguments once and records the cost and accuracy at the first and the last epoch;
- ``numpy``: a minimal, straight-line numpy loop written here for exactly that network: the same
  math (same overflow-free sigmoid, same optimizer, same shuffles and batches), no validation,
  updates in place. It is the floor: nothing written in numpy does much less work;
- ``torch``: the same network with ``torch.nn.Linear`` layers and ``torch.optim`` in float64, and
  ``torch32``, the same in float32. PyTorch is a benchmark-only extra (``pip install '.[bench]'``);
  without it those columns are skipped with a message.

Before timing, every implementation trains 3 epochs and its parameters are compared with those of
``train``: nnkit's step loop must match exactly, the numpy floor and float64 PyTorch to float
rounding, so the floor really is the same computation. Then, for every repeat, each
implementation trains one block of N epochs from the same initial parameters, in an order that
rotates between repeats; a block is timed in CPU time of this process (robust to other processes
on a shared machine). Reported: the median time per training step (one forward, backward and
update on one batch; the per-epoch shuffle is spread over the epoch's steps), and the ratios
nnkit/numpy and nnkit/torch (the median over the repeats of the ratio within a repeat) with their
interquartile range. Targets: nnkit at most 1.15x the numpy floor on every network, and faster than
PyTorch (float64) on the two small ones. Targets are reported, never asserted: the exit code is 0.

Usage::

    python benchmarks/bench_nnkit.py                      # about 40 s on a 2-core machine
    python benchmarks/bench_nnkit.py --quick              # a few seconds, for the smoke test
    python benchmarks/bench_nnkit.py --json results.json  # also write the results as JSON

BLAS and OpenMP are pinned to one thread (set here before numpy is imported), and so is PyTorch,
so all of them compare the same single-core work.
"""

from __future__ import annotations

import os

# Pin every thread pool to one thread before numpy (or torch) is imported: the networks are small
# enough that threads only add noise, and all three implementations must get the same cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without install

from nnkit.data import load_digits, make_flower, make_moons, one_hot  # noqa: E402
from nnkit.init import initialize_parameters  # noqa: E402
from nnkit.network import _backward, _forward, _plan  # noqa: E402
from nnkit.optim import _apply_updates, get_optimizer  # noqa: E402
from nnkit.train import _mini_batches, train  # noqa: E402

try:
    import torch
except ImportError:  # a benchmark-only extra: the kit never needs it
    torch = None

TARGET_VS_NUMPY = 1.15
TARGET_VS_TORCH = 1.0
SEED = 0
ADAM = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


# ============================================================================ the three networks


@dataclass
class Network:
    name: str
    description: str
    X: np.ndarray  # (n_x, m), examples are columns
    Y: np.ndarray  # (n_y, m): 0/1 labels or one-hot
    dims: list
    activations: tuple
    loss: str
    optimizer: str  # "sgd" or "adam"
    learning_rate: float
    batch_size: int | None  # None: full batch
    init: str
    epochs: int  # epochs per timed block
    quick_epochs: int
    floor: Callable  # the minimal numpy loop for exactly this network
    torch_target: bool  # is "faster than PyTorch" a target here?

    @property
    def m(self) -> int:
        return self.X.shape[1]

    @property
    def steps_per_epoch(self) -> int:
        return 1 if self.batch_size is None else -(-self.m // self.batch_size)

    def initial_params(self) -> dict:
        return initialize_parameters(self.dims, self.init, rng=SEED)


def planar() -> Network:
    X, Y = make_flower(400, rng=1)
    return Network("planar", "[2, 4, 1] tanh/sigmoid, 400 flower points, full batch, gradient descent lr 1.2",
                   X, Y, [2, 4, 1], ("tanh", "sigmoid"), "binary_cross_entropy", "sgd", 1.2, None,
                   "xavier", epochs=600, quick_epochs=40, floor=floor_planar, torch_target=True)


def moons() -> Network:
    X, Y = make_moons(300, rng=2, noise=0.2)
    return Network("moons", "[2, 10, 5, 1] ReLU/sigmoid, 300 moons points, Adam lr 0.01, mini-batches of 64",
                   X, Y, [2, 10, 5, 1], ("relu", "relu", "sigmoid"), "binary_cross_entropy", "adam", 0.01,
                   64, "he", epochs=100, quick_epochs=8, floor=floor_moons, torch_target=True)


def digits() -> Network:
    images, labels = load_digits()
    X = images.reshape(images.shape[0], -1).T / 255.0  # (64, 1797)
    Y = one_hot(labels, 10)  # (10, 1797)
    return Network("digits", "[64, 64, 32, 16, 10] ReLU/softmax, 1797 8x8 digits, Adam lr 0.001, "
                   "mini-batches of 256", X, Y, [64, 64, 32, 16, 10], ("relu", "relu", "relu", "softmax"),
                   "categorical_cross_entropy", "adam", 0.001, 256, "he", epochs=40, quick_epochs=3,
                   floor=floor_digits, torch_target=False)


NETWORKS = {"planar": planar, "moons": moons, "digits": digits}


def make_networks(names=tuple(NETWORKS)) -> list[Network]:
    return [NETWORKS[name]() for name in names]


# ============================================================================ nnkit


def run_nnkit_train(net: Network, params: dict, epochs: int) -> dict:
    """nnkit's training loop as users call it, recording only at the first and the last epoch."""
    result = train(net.X, net.Y, net.dims, rng=SEED, params=params, activations=net.activations,
                   loss=net.loss, optimizer=net.optimizer, learning_rate=net.learning_rate,
                   num_epochs=epochs, mini_batch_size=net.batch_size, record_every=epochs)
    return result.params


def run_nnkit(net: Network, params: dict, epochs: int) -> dict:
    """The steps of :func:`nnkit.train.train`'s loop, call for call, without its setup (validation,
    copies) and its two records (cost and accuracy at the first and the last epoch), which would
    add 1-3% to the short blocks timed here. ``check_same_computation`` verifies that this loop
    ends on exactly the parameters of ``train``."""
    rng = np.random.default_rng(SEED)
    X, Y, loss, kps = net.X, net.Y, net.loss, ()
    plan = _plan(tuple(net.activations))
    opt = get_optimizer(net.optimizer, learning_rate=net.learning_rate)  # a float, as train passes it
    state = opt.init(params)
    update = opt.unchecked_update  # as train's loop: the gradients are right by construction
    full_batch, batch_size = ((X, Y),), net.batch_size
    for _ in range(epochs):
        batches = full_batch if batch_size is None else _mini_batches(X, Y, batch_size, rng)
        for Xb, Yb in batches:
            AL, caches = _forward(Xb, params, plan, kps, rng)
            grads = _backward(AL, Yb, caches, plan, loss, 0.0, True, need_dA0=False)
            updates, state = update(grads, state)
            params = _apply_updates(params, updates)
    return params


# ============================================================================ the numpy floor
# Straight-line numpy for exactly each network. Same math as nnkit: dZ = A - Y at the output, the
# 1/m applied once to the output error and carried down (as nnkit does), the same overflow-free
# sigmoid, Adam of Kingma & Ba with the bias corrections, the same shuffles (one permutation per epoch from the same seed).


def _sigmoid(Z):
    e = np.exp(-np.abs(Z))  # exp only of non-positive numbers: no overflow
    return np.where(Z >= 0, 1.0, e) / (1.0 + e)


def _adam_step(params, grads, ms, vs, t, lr):
    b1, b2, eps = ADAM["beta1"], ADAM["beta2"], ADAM["eps"]
    step = lr / (1.0 - b1**t)
    c2 = 1.0 / (1.0 - b2**t)
    for p, g, m, v in zip(params, grads, ms, vs):
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * (g * g)
        p -= step * m / (np.sqrt(v * c2) + eps)


def _batches(X, Y, batch_size, rng):
    order = rng.permutation(X.shape[1])
    Xs, Ys = X[:, order], Y[:, order]
    return [(Xs[:, k:k + batch_size], Ys[:, k:k + batch_size]) for k in range(0, X.shape[1], batch_size)]


def _copy(params, keys):
    return [params[k].copy() for k in keys]


def floor_planar(net: Network, params: dict, epochs: int) -> dict:
    W1, b1, W2, b2 = _copy(params, ("W1", "b1", "W2", "b2"))
    X, Y, lr = net.X, net.Y, net.learning_rate
    inv_m = 1.0 / X.shape[1]
    for _ in range(epochs):
        A1 = np.tanh(W1 @ X + b1)
        A2 = _sigmoid(W2 @ A1 + b2)
        dZ2 = (A2 - Y) * inv_m  # 1/m once, carried down (as nnkit)
        dW2 = dZ2 @ A1.T
        db2 = dZ2.sum(axis=1, keepdims=True)
        dZ1 = (W2.T @ dZ2) * (1.0 - A1 * A1)
        dW1 = dZ1 @ X.T
        db1 = dZ1.sum(axis=1, keepdims=True)
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def floor_moons(net: Network, params: dict, epochs: int) -> dict:
    keys = ("W1", "b1", "W2", "b2", "W3", "b3")
    ps = _copy(params, keys)
    W1, b1, W2, b2, W3, b3 = ps
    ms = [np.zeros_like(p) for p in ps]
    vs = [np.zeros_like(p) for p in ps]
    rng = np.random.default_rng(SEED)
    t = 0
    for _ in range(epochs):
        for X, Y in _batches(net.X, net.Y, net.batch_size, rng):
            inv_m = 1.0 / X.shape[1]
            Z1 = W1 @ X + b1
            A1 = np.maximum(Z1, 0.0)
            Z2 = W2 @ A1 + b2
            A2 = np.maximum(Z2, 0.0)
            A3 = _sigmoid(W3 @ A2 + b3)
            dZ3 = (A3 - Y) * inv_m  # 1/m once, carried down (as nnkit)
            dW3 = dZ3 @ A2.T
            db3 = dZ3.sum(axis=1, keepdims=True)
            dZ2 = (W3.T @ dZ3) * (Z2 > 0)
            dW2 = dZ2 @ A1.T
            db2 = dZ2.sum(axis=1, keepdims=True)
            dZ1 = (W2.T @ dZ2) * (Z1 > 0)
            dW1 = dZ1 @ X.T
            db1 = dZ1.sum(axis=1, keepdims=True)
            t += 1
            _adam_step(ps, (dW1, db1, dW2, db2, dW3, db3), ms, vs, t, net.learning_rate)
    return dict(zip(keys, ps))


def floor_digits(net: Network, params: dict, epochs: int) -> dict:
    keys = ("W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4")
    ps = _copy(params, keys)
    W1, b1, W2, b2, W3, b3, W4, b4 = ps
    ms = [np.zeros_like(p) for p in ps]
    vs = [np.zeros_like(p) for p in ps]
    rng = np.random.default_rng(SEED)
    t = 0
    for _ in range(epochs):
        for X, Y in _batches(net.X, net.Y, net.batch_size, rng):
            inv_m = 1.0 / X.shape[1]
            Z1 = W1 @ X + b1
            A1 = np.maximum(Z1, 0.0)
            Z2 = W2 @ A1 + b2
            A2 = np.maximum(Z2, 0.0)
            Z3 = W3 @ A2 + b3
            A3 = np.maximum(Z3, 0.0)
            Z4 = W4 @ A3 + b4
            E = np.exp(Z4 - Z4.max(axis=0, keepdims=True))
            A4 = E / E.sum(axis=0, keepdims=True)  # softmax per column
            dZ4 = (A4 - Y) * inv_m  # 1/m once, carried down (as nnkit)
            dW4 = dZ4 @ A3.T
            db4 = dZ4.sum(axis=1, keepdims=True)
            dZ3 = (W4.T @ dZ4) * (Z3 > 0)
            dW3 = dZ3 @ A2.T
            db3 = dZ3.sum(axis=1, keepdims=True)
            dZ2 = (W3.T @ dZ3) * (Z2 > 0)
            dW2 = dZ2 @ A1.T
            db2 = dZ2.sum(axis=1, keepdims=True)
            dZ1 = (W2.T @ dZ2) * (Z1 > 0)
            dW1 = dZ1 @ X.T
            db1 = dZ1.sum(axis=1, keepdims=True)
            t += 1
            _adam_step(ps, (dW1, db1, dW2, db2, dW3, db3, dW4, db4), ms, vs, t, net.learning_rate)
    return dict(zip(keys, ps))


def run_numpy(net: Network, params: dict, epochs: int) -> dict:
    return net.floor(net, params, epochs)


# ============================================================================ PyTorch


class TorchRunner:
    """The same network in PyTorch: ``nn.Linear`` layers, the loss on the logits, ``torch.optim``.

    Examples are rows here (PyTorch's layout); ``nn.Linear`` keeps ``weight`` as ``(n_l, n_{l-1})``
    like nnkit's ``W``. The output activation is fused into the loss (``binary_cross_entropy_with_logits``,
    ``cross_entropy``), whose gradient is nnkit's ``dZ = A - Y`` divided by the batch size.
    """

    def __init__(self, net: Network, dtype):
        nn = torch.nn
        self.net, self.dtype = net, dtype
        hidden = {"tanh": nn.Tanh, "relu": nn.ReLU}
        layers = []
        for l in range(1, len(net.dims)):
            layers.append(nn.Linear(net.dims[l - 1], net.dims[l], dtype=dtype))
            if l < len(net.dims) - 1:
                layers.append(hidden[net.activations[l - 1]]())
        self.model = nn.Sequential(*layers)
        self.linears = [layer for layer in layers if isinstance(layer, nn.Linear)]
        self.X = torch.from_numpy(np.ascontiguousarray(net.X.T)).to(dtype)
        if net.loss == "binary_cross_entropy":
            self.Y = torch.from_numpy(np.ascontiguousarray(net.Y.T)).to(dtype)
            self.loss = torch.nn.functional.binary_cross_entropy_with_logits
        else:
            self.Y = torch.from_numpy(net.Y.argmax(axis=0))  # class ids: the same gradient as one-hot
            self.loss = torch.nn.functional.cross_entropy

    def __call__(self, net: Network, params: dict, epochs: int) -> dict:
        with torch.no_grad():
            for l, layer in enumerate(self.linears, start=1):
                layer.weight.copy_(torch.from_numpy(params[f"W{l}"]))
                layer.bias.copy_(torch.from_numpy(params[f"b{l}"][:, 0]))
        if net.optimizer == "sgd":
            opt = torch.optim.SGD(self.model.parameters(), lr=net.learning_rate)
        else:
            opt = torch.optim.Adam(self.model.parameters(), lr=net.learning_rate,
                                   betas=(ADAM["beta1"], ADAM["beta2"]), eps=ADAM["eps"])
        model, loss_fn, X, Y = self.model, self.loss, self.X, self.Y
        rng = np.random.default_rng(SEED)
        bs = net.batch_size
        for _ in range(epochs):
            if bs is None:
                batches = ((X, Y),)
            else:
                order = torch.from_numpy(rng.permutation(X.shape[0]))  # the same shuffles as nnkit
                Xs, Ys = X[order], Y[order]
                batches = [(Xs[k:k + bs], Ys[k:k + bs]) for k in range(0, X.shape[0], bs)]
            for Xb, Yb in batches:
                opt.zero_grad()
                loss_fn(model(Xb), Yb).backward()
                opt.step()
        out = {}
        for l, layer in enumerate(self.linears, start=1):
            out[f"W{l}"] = layer.weight.detach().double().numpy().copy()
            out[f"b{l}"] = layer.bias.detach().double().numpy().reshape(-1, 1).copy()
        return out


# ============================================================================ checking and timing

#: What is compared, in the order of the table: the headline nnkit loop first.
COLUMNS = {"nnkit": "nnkit", "nnkit_train": "train()", "numpy": "numpy", "torch": "torch", "torch32": "torch32"}


def max_param_diff(a: dict, b: dict) -> float:
    """Largest absolute difference between two parameter dicts, relative to the parameters' scale."""
    return max(float(np.max(np.abs(a[k] - b[k])) / max(1.0, float(np.max(np.abs(a[k]))))) for k in a)


def check_same_computation(net: Network, impls: dict, epochs: int) -> dict:
    """Train every implementation for a few epochs from the same start and compare its parameters
    with those of ``nnkit.train.train``: nnkit's step loop must match exactly, the numpy floor and
    float64 PyTorch to float rounding, float32 PyTorch to float32 rounding."""
    params = net.initial_params()
    reference = run_nnkit_train(net, params, epochs)
    tolerance = {"nnkit": 0.0, "numpy": 1e-9, "torch": 1e-9, "torch32": 1e-4}
    checks = {}
    for name, fn in impls.items():
        if name == "nnkit_train":
            continue
        diff = max_param_diff(reference, fn(net, params, epochs))
        checks[name] = {"epochs": epochs, "max_rel_diff": diff, "tolerance": tolerance[name],
                        "params_match": bool(diff <= tolerance[name])}
    return checks


def time_block(fn, net: Network, params: dict, epochs: int) -> float:
    """CPU seconds of this process for one block of ``epochs`` epochs, garbage collection off (as
    ``timeit`` does). CPU time, not wall time: everything runs on one thread, and on a shared
    machine the time during which other processes hold the core is not this code's cost."""
    gc.disable()
    try:
        start = time.process_time()
        fn(net, params, epochs)
        return time.process_time() - start
    finally:
        gc.enable()


def quartiles(values) -> tuple[float, float, float]:
    q1, med, q3 = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return float(q1), float(med), float(q3)


def bench_network(net: Network, impls: dict, repeats: int, epochs: int) -> dict:
    """Per-step times (us) of every implementation: ``repeats`` rounds, each running every
    implementation once for ``epochs`` epochs from the same start, in an order rotated per round."""
    params = net.initial_params()
    steps = epochs * net.steps_per_epoch
    names = list(impls)
    for name in names:  # warm-up: caches, allocator, torch's first-call dispatch
        time_block(impls[name], net, params, max(1, epochs // 4))
    per_step = {name: [] for name in names}
    for r in range(repeats):
        order = names[r % len(names):] + names[:r % len(names)]  # rotate who goes first
        for name in order:
            per_step[name].append(time_block(impls[name], net, params, epochs) / steps * 1e6)
    return {"steps_per_block": steps, "per_step_us": per_step}


def paired_ratio(per_step: dict, name: str, other: str):
    """Median and interquartile range of ``name / other`` over the rounds (each round's two blocks
    ran back to back, so a slow moment of the machine affects both)."""
    if name not in per_step or other not in per_step:
        return None, None
    q1, med, q3 = quartiles([a / b for a, b in zip(per_step[name], per_step[other])])
    return med, [q1, q3]


def summarize(net: Network, timing: dict, checks: dict) -> dict:
    per_step = timing["per_step_us"]
    median = {name: quartiles(v)[1] for name, v in per_step.items()}
    r_numpy, iqr_numpy = paired_ratio(per_step, "nnkit", "numpy")
    r_torch, iqr_torch = paired_ratio(per_step, "nnkit", "torch")
    r_train, iqr_train = paired_ratio(per_step, "nnkit_train", "numpy")
    meets = r_numpy <= TARGET_VS_NUMPY
    if net.torch_target and r_torch is not None:
        meets = meets and r_torch < TARGET_VS_TORCH
    return {
        "name": net.name,
        "description": net.description,
        "steps_per_block": timing["steps_per_block"],
        "repeats": len(per_step["nnkit"]),
        "median_us": {"nnkit": median["nnkit"], "numpy": median["numpy"], "torch": median.get("torch"),
                      "torch_float32": median.get("torch32"), "nnkit_train": median.get("nnkit_train")},
        "iqr_us": {name: [quartiles(v)[0], quartiles(v)[2]] for name, v in per_step.items()},
        "ratio_vs_numpy": r_numpy,
        "ratio_vs_numpy_iqr": iqr_numpy,
        "ratio_vs_torch": r_torch,
        "ratio_vs_torch_iqr": iqr_torch,
        "ratio_train_vs_numpy": r_train,
        "ratio_train_vs_numpy_iqr": iqr_train,
        "target_vs_numpy": TARGET_VS_NUMPY,
        "target_vs_torch": TARGET_VS_TORCH if net.torch_target else None,
        "meets_targets": bool(meets),
        "torch_target_checked": bool(net.torch_target and r_torch is not None),
        "checks": checks,
    }


def environment() -> dict:
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "cpu_count": os.cpu_count(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "threads": 1,
    }


def _fmt(x, spec=".1f"):
    return "-" if x is None else format(x, spec)


def _ratio(res: dict, key: str) -> str:
    value, iqr = res[key], res[key + "_iqr"]
    return "-" if value is None else f"{value:.2f} [{iqr[0]:.2f}-{iqr[1]:.2f}]"


def print_table(results: list[dict]) -> None:
    keys = ("nnkit", "nnkit_train", "numpy", "torch", "torch_float32")
    labels = ("nnkit", "train()", "numpy", "torch", "torch32")
    print("\nmedian us per training step (forward + backward + update of one batch):")
    print(f"{'network':<8}" + "".join(f"{label:>9}" for label in labels)
          + f"   {'nnkit/numpy [IQR]':<19} {'nnkit/torch [IQR]':<19} {'train()/numpy':<19} targets")
    for res in results:
        verdict = "met" if res["meets_targets"] else "MISSED"
        if res["target_vs_torch"] is not None and not res["torch_target_checked"]:
            verdict += " (vs torch unchecked)"
        print(f"{res['name']:<8}" + "".join(f"{_fmt(res['median_us'][k]):>9}" for k in keys)
              + f"   {_ratio(res, 'ratio_vs_numpy'):<19} {_ratio(res, 'ratio_vs_torch'):<19} "
              f"{_ratio(res, 'ratio_train_vs_numpy'):<19} {verdict}")
    print()
    for res in results:
        print(f"  {res['name']}: {res['description']}; {res['steps_per_block']} steps per block, "
              f"{res['repeats']} repeats")
    print(f"  targets: nnkit/numpy <= {TARGET_VS_NUMPY} on every network; nnkit/torch < {TARGET_VS_TORCH} "
          "(float64) on planar and moons")
    print("  nnkit = the steps of train()'s loop; train() = the whole call (setup, and the cost and accuracy "
          "recorded at the first and last epoch)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="short blocks and 3 repeats: a few seconds, to check that everything runs "
                             "(its ratios are not meaningful)")
    parser.add_argument("--repeats", type=int, default=None, help="timed blocks per implementation (default 15)")
    parser.add_argument("--json", metavar="PATH", help="also write the results to this JSON file")
    parser.add_argument("--networks", nargs="+", choices=list(NETWORKS), default=list(NETWORKS),
                        help="run only these networks")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if it is installed")
    args = parser.parse_args(argv)
    repeats = args.repeats or (3 if args.quick else 15)

    use_torch = torch is not None and not args.no_torch
    if torch is None:
        print("PyTorch is not installed: the torch columns are skipped "
              "(pip install '.[bench]' adds it; nnkit itself never needs it).")
    if use_torch:
        torch.set_num_threads(1)

    results = []
    gc.collect()
    gc.freeze()  # the imported modules' objects are never collected: later collections stay cheap
    started = time.perf_counter()
    for net in make_networks([name for name in NETWORKS if name in args.networks]):
        impls = {"nnkit": run_nnkit, "nnkit_train": run_nnkit_train, "numpy": run_numpy}
        if use_torch:
            impls["torch"] = TorchRunner(net, torch.float64)
            impls["torch32"] = TorchRunner(net, torch.float32)
        checks = check_same_computation(net, impls, epochs=3)
        for name, check in checks.items():
            status = "same parameters" if check["params_match"] else "PARAMETERS DIFFER"
            print(f"[{net.name}] {name} vs nnkit.train.train after {check['epochs']} epochs: {status} "
                  f"(max relative difference {check['max_rel_diff']:.1e})")
        epochs = net.quick_epochs if args.quick else net.epochs
        timing = bench_network(net, impls, repeats, epochs)
        results.append(summarize(net, timing, checks))
        print(f"[{net.name}] timed ({time.perf_counter() - started:.1f} s so far)")

    print_table(results)
    if args.quick:
        print("  --quick: blocks this short are dominated by setup and noise; run without it for real numbers")
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"networks": results, "environment": environment(),
                   "settings": {"quick": args.quick, "repeats": repeats, "seed": SEED,
                                "epochs_per_block": {r["name"]: r["steps_per_block"] for r in results}}}
        path.write_text(json.dumps(payload, indent=2) + "\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
