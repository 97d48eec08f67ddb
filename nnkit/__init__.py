"""nnkit: the reference library of the course, vectorized numpy neural networks from first principles.

Examples are columns everywhere: ``X`` is ``(n_x, m)``, ``Y`` is ``(n_y, m)``, ``W[l]`` is
``(n_l, n_{l-1})`` and ``b[l]`` is ``(n_l, 1)``. Parameters are a dict ``W1, b1, ..., WL, bL``;
gradients use the same keys prefixed with ``d``.

One topic per module:

- :mod:`nnkit.activations`  sigmoid, tanh, ReLU, leaky ReLU, softmax: forward/backward pairs
- :mod:`nnkit.losses`       binary / categorical cross-entropy, squared errors, with gradients
- :mod:`nnkit.layers`       linear and linear+activation forward/backward with explicit caches
- :mod:`nnkit.network`      the whole L-layer network: forward, cost, backward, predict
- :mod:`nnkit.init`         zeros, random, small Gaussian, Xavier, He
- :mod:`nnkit.regularization`  L2 (both conventions) and inverted dropout
- :mod:`nnkit.gradcheck`    numerical gradients and the relative difference
- :mod:`nnkit.optim`        pure init/update optimizers: SGD, momentum, Adagrad, RMSProp, Adam
- :mod:`nnkit.schedules`    learning-rate decay and warm-up as functions of the step
- :mod:`nnkit.data`         offline data sets (planar, moons, circles, ..., handwritten digits), mini-batches
                            (a subpackage: ``synthetic``, ``digits``, ``columns``)
- :mod:`nnkit.metrics`      accuracy and labels from outputs
- :mod:`nnkit.train`        the training loop and its ``TrainConfig``, with history and an optional progress bar
- :mod:`nnkit.plots`        decision boundaries, cost curves, gradient norms, image grids
- :mod:`nnkit.experiments`  the seed notes' three tables, reproduced (a subpackage: ``tables``, ``report``,
                            ``cli``; ``python -m nnkit.experiments --out DIR``)

Non-goals: no autodiff, no GPU, no layers beyond fully connected ones. nnkit is meant to be read.
Import the submodule you need (``from nnkit import network``); this package imports nothing
heavy by itself, so ``import nnkit`` stays fast (it is imported by every graded notebook).
"""

__version__ = "0.1.0"
