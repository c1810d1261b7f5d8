"""The explorable's text, in our own words, and its display formulas (KaTeX)."""

INTRO = """
# Why momentum really works — explore it

Gradient descent takes a step down the slope, $$w^{k+1} = w^k - \\alpha\\nabla f(w^k)$$.
Momentum — Polyak's *heavy ball* — gives those steps a memory: it keeps a running sum of past gradients
and steps along that instead. Every number on this page is computed live by `momentum_core` from the
formulas shown; drag any control and the figures follow.
"""

HEAVY_BALL = r"z^{k+1} = \beta z^k + \nabla f(w^k), \qquad w^{k+1} = w^k - \alpha z^{k+1}, \qquad z^0 = 0"

RAVINE_TEXT = """
## A ravine

On a long, narrow valley plain gradient descent (blue) zig-zags across the steep walls or, with a small step,
crawls along the flat floor. With momentum (vermillion) the steps along the floor add up, and the path overshoots,
swings back and spirals in: with α = 0.02 and β = 0.99 it is far closer to the optimum after the same number of steps.
Click the plot to start somewhere else. Push α or β too far and the run **diverges**: the readout says so and the
path stops where it leaves the view.
"""

QUADRATIC_TEXT = """
## Decomposing the error

On a quadratic every run can be written in closed form. Rotate into the eigenvectors of $$A$$: each coordinate of
the error $$x^k = Q^T(w^k - w^\\star)$$ then evolves on its own, and the loss gap is a sum of one term per eigenvalue.
"""

QUADRATIC = (
    r"f(w) = \tfrac12 w^T A w - b^T w,\quad A = Q\,\mathrm{diag}(\lambda_1,\dots,\lambda_n)\,Q^T,\quad "
    r"f(w^k) - f^\star = \sum_i \tfrac12 \lambda_i \,(x_i^k)^2"
)

DECOMPOSITION_TEXT = """
With plain gradient descent, $$x_i^k = (1-\\alpha\\lambda_i)^k x_i^0$$: large eigenvalues are fitted in a few steps,
small ones take long. The bands below are the three terms for λ = 0.01, 0.1 and 1. (The article prints this sum
without the ½; with it, the parts add up exactly to the loss gap.) The buttons jump to the best step-size for
gradient descent, $$\\alpha = 2/(\\lambda_1 + \\lambda_n)$$, and to the best pair (α*, β*) for momentum.
"""

REGIONS_TEXT = """
## Where momentum converges

With momentum each component carries a velocity as well, and the pair evolves by a 2×2 matrix:
"""

ITERATION = (
    r"\begin{pmatrix} y_i^{k+1} \\ x_i^{k+1} \end{pmatrix} = R \begin{pmatrix} y_i^k \\ x_i^k \end{pmatrix},\quad "
    r"R = \begin{pmatrix} \beta & \lambda_i \\ -\alpha\beta & 1 - \alpha\lambda_i \end{pmatrix},\quad "
    r"\sigma_{1,2} = \tfrac12\left(1+\beta-\alpha\lambda_i \pm \sqrt{(1+\beta-\alpha\lambda_i)^2 - 4\beta}\right)"
)

REGIONS_AFTER = """
The run converges at rate $$\\max|\\sigma|$$ over all components, when $$0 \\lt \\alpha\\lambda_i \\lt 2 + 2\\beta$$.
Complex roots (above the critical-damping curve $$\\beta = (1-\\sqrt{\\alpha\\lambda})^2$$) mean ripples with
$$|\\sigma| = \\sqrt{\\beta}$$; real roots mean a monotone or sign-alternating decay. The best pair is
"""

OPTIMUM = (
    r"\alpha^\star = \Big(\frac{2}{\sqrt{\lambda_1}+\sqrt{\lambda_n}}\Big)^2,\quad "
    r"\beta^\star = \Big(\frac{\sqrt\kappa-1}{\sqrt\kappa+1}\Big)^2,\quad "
    r"\text{rate} = \frac{\sqrt\kappa-1}{\sqrt\kappa+1}\ \text{ against }\ \frac{\kappa-1}{\kappa+1}\ \text{for gradient descent.}"
)

DAMPING_TEXT = """
## Critical damping

Follow one eigencomponent on its own. Its position $$x^k$$ and its velocity $$x^k - x^{k-1}$$ move together by
$$R$$, and the shape of the path depends on where β stands against the component's **critical damping**
$$\\beta = (1-\\sqrt{\\alpha\\lambda})^2$$. Above it (under-damped) the roots of $$R$$ are complex: the component spirals
into the optimum, shrinking by $$\\sqrt\\beta$$ per step. Below it (over-damped) the roots are real and it slides in
without turning round, held back by too little momentum. At it the decay is fastest for that λ. One (α, β) serves
every component, so they cannot all be critically damped at once: below, λ = 1 and λ = 100 share one β bar, each
with its own critical value. Drag β across both.
"""

CONDITION_TABLE_NOTE = "The source's rates agree with the formulas. Its single “Speedup Factor” is the per-step ratio; in iterations to a tolerance momentum gains more at small κ (3.26× at κ = 10, not 2.6×); the two agree as κ grows. The source also says β = 0.9 is optimal near κ = 100: β* there is 0.669 (β* = 0.9 needs κ ≈ 1 444)."

CONDITION_TEXT = """
## The condition number

Everything above depends on one number, the condition number $$\\kappa = \\lambda_n/\\lambda_1$$. At their best
settings gradient descent shrinks the error by $$(\\kappa-1)/(\\kappa+1)$$ per step and momentum by
$$(\\sqrt\\kappa-1)/(\\sqrt\\kappa+1)$$: the number of steps drops from about $$\\kappa$$ to about $$\\sqrt\\kappa$$.
Two speed-ups are shown, because they are easily confused: how much more error one step removes, and how many
fewer steps reach a tolerance.
"""

STOCHASTIC_TEXT = """
## Stochastic gradients

Real gradients are noisy. Add noise $$\\xi^k \\sim N(0, \\sigma^2 I)$$ to every gradient and the error curve splits in two.
First a **transient phase**: the error shrinks at the rate of the exact method, and momentum's better rate helps.
Then a **fine-tuning phase**: the error hovers at a noise floor, and at the same step-size momentum's floor is
*higher*, because the velocity adds up the noise as well. The dashed lines are the expected floors, computed
exactly from each component's 2×2 system. Both noisy runs use the same noise (the seed), so they can be compared.
"""

COLORIZATION_TEXT = """
## Example: colorization on a path graph

A row of pixels, the first one seeded with a colour, every pixel pulled towards its neighbours:
$$f(w) = \\tfrac12\\sum_i (w_i - w_{i+1})^2 + \\tfrac12 (w_0 - 1)^2$$. Each step of gradient descent moves the colour
one pixel further, and the far pixels wait for the smallest eigenvalues of the graph Laplacian,
$$\\lambda_k = 2 - 2\\cos\\frac{(2k-1)\\pi}{2n+1}$$, so κ grows like n². Gradient descent (bottom row, at its best
step-size) has barely started where momentum (top row) has already coloured the whole row: it is about √κ times faster.
Drag the iteration slider to watch the colour spread.
"""

REGRESSION_TEXT = """
## Example: polynomial regression

Fit a polynomial $$\\textstyle\\sum_{i=0}^{d} w_i\\xi^i$$ to twelve points by least squares,
$$f(w) = \\tfrac12\\|Zw - y\\|^2$$ with $$Z_{ij} = \\xi_i^{\\,j}$$. The eigenvectors of the Gram matrix $$Z^TZ$$ define
**eigenfeatures** $$\\varphi_j(\\xi) = \\sum_i q_{ij}\\xi^i$$, and the fit splits into one part per eigenfeature:
after k steps from $$w = 0$$ the fit is $$\\sum_j c_j\\,(1 - r_k(\\lambda_j))\\,\\varphi_j(\\xi)$$, where $$r_k(\\lambda)$$ is
the share of a component's error left (for gradient descent $$(1 - \\alpha\\lambda)^k$$). So the features with large
eigenvalues are fitted first and the small ones much later: stopping early keeps the fit smooth, a kind of
regularisation. Momentum brings the slow eigenfeatures in far sooner.
"""

LIMITS_TEXT = """
## The limits of descent

Can any method do better than momentum? Take the *resisting oracle*, Nesterov's worst case:
$$f(w) = \\tfrac12 (w_1 - 1)^2 + \\tfrac12\\sum_i (w_i - w_{i+1})^2 + \\tfrac{2}{\\kappa - 1}\\|w\\|^2$$, the
colorization problem plus a small pull towards 0. Its optimum is $$w^\\star_i = \\rho^{\\,i}$$ with
$$\\rho = (\\sqrt\\kappa - 1)/(\\sqrt\\kappa + 1)$$. Starting from 0, each gradient reaches exactly one coordinate further,
so after k steps of *any* method built from gradients (descent, heavy ball, Nesterov, …) the coordinates past k are
still 0 and $$\\|w^k - w^\\star\\|_\\infty \\ge |w^\\star_{k+1}| = \\rho^{\\,k+1}$$. Momentum with (α*, β*) runs along that
bound: no first-order method can do better on this problem, and plain descent is far off it.
"""

NESTEROV_TEXT = """
## Nesterov's momentum

Nesterov's variant evaluates the gradient where the momentum is about to carry it,
$$z^{k+1} = \\beta z^k + \\nabla f(w^k - \\alpha\\beta z^k)$$. Per component its matrix has determinant
$$\\beta(1 - \\alpha\\lambda)$$ instead of $$\\beta$$: the stiff directions are damped harder, so at the same (α, β)
the path ripples less across the ravine, while the slow direction moves much as with the heavy ball.
"""

MODEL_TEXT = """
## Momentum on a real model

Everything so far ran on quadratics, where the theory is exact. Here is a real one: logistic regression with a
small L2 penalty on the Wisconsin breast-cancer data (569 tumours, 30 measurements each). Its loss is not a
quadratic, but close to its optimum it looks like one, with the Hessian $$H = \\nabla^2 f(w^\\star)$$ in the role of
$$A$$. So the theory makes a definite prediction: from $$H$$'s extreme eigenvalues — found by Lanczos from
Hessian-vector products, as one would for a network with millions of weights — come κ, the best (α*, β*) and the
rate near the end of a run. The dashed lines are that prediction; the solid ones the runs. Where the run is close to
$$w^\\star$$ the two slopes agree. Early on they need not: at the start the curvature is twenty times larger than at the
optimum, and a step that is safe near $$w^\\star$$ would not be safe there if the loss were that quadratic —
here the logistic loss flattens out and forgives it. Push α past the range the theory allows and gradient descent
stops converging, while momentum, whose range reaches $$2(1+\\beta)/\\lambda_n$$, still does.

The two maps ask the same question of every (α, β) at once. Left is the rate the quadratic at $$w^\\star$$ promises,
right the rate a 300-step run actually shows. Inside the quadratic's edge nine cells in ten agree to a percent;
well past it no run settles — the real loss does not blow up as the quadratic would, but it does not converge
either.

A network is a harder test. Its loss has no single quadratic to compare with: the curvature changes as the weights
move, and is not even positive everywhere. What we can do is measure it as we go — the largest eigenvalue
$$\\lambda_n(\\theta^k)$$ of the Hessian at each step, again by Lanczos — and hold it against $$2(1+\\beta)/\\alpha$$, the
curvature above which a step of this size would diverge on a quadratic. At the start the network is far above that
line, and yet nothing diverges: the run slides off to flatter ground, and gradient descent then rides just under its
edge for the rest of the run. The local quadratic gets the early steps wrong. It gets the end right: once the run
has found a minimum, the rate at which the gradient shrinks is the one that last Hessian predicts.
"""

BEYOND_TEXT = """
# Beyond the article

The sections below put side by side what no single source shows together: the physics behind the heavy ball,
the many ways libraries write the same method, schedules, the cases where momentum hurts, and your own problem.
"""

PHYSICS_TEXT = """
## The heavy ball as physics (Qian 1999)

A ball of mass $$m$$ rolling on the loss with friction $$\\mu$$ obeys $$m\\,w'' + \\mu\\,w' = -\\nabla f(w)$$; along one
direction of curvature $$k$$ this is a damped oscillator with roots
$$\\lambda_{1,2} = -\\tfrac{\\mu}{2m} \\pm \\sqrt{\\tfrac{\\mu^2}{4m^2} - \\tfrac{k}{m}}$$. Without mass it is the gradient flow,
$$\\lambda_0 = -k/\\mu$$. The mass speeds the decay up only when $$k \\lt \\mu^2/2m$$, and at most twice, at critical damping
$$k = \\mu^2/4m$$. Stepping the oscillator with time step $$\\Delta t$$ *is* heavy ball, with
$$\\varepsilon = \\Delta t^2/(m + \\mu\\Delta t)$$ and $$p = m/(m + \\mu\\Delta t)$$; the steps are stable when $$-1 \\lt p \\lt 1$$ and
$$0 \\lt \\varepsilon k \\lt 2 + 2p$$ — almost twice the range of plain steps, $$0 \\lt \\varepsilon_0 k \\lt 2$$. Qian's experiment shows it:
with m = 2, μ = 4, Δt = 0.5 on A = diag(3, 30), momentum converges while plain steps with the same Δt diverge along k = 30.
"""

FORMULATIONS_TEXT = """
## One method, many formulations

Papers and libraries write momentum in different ways. Polyak adds a multiple of the last step,
$$w^{k+1} = w^k - \\alpha\\nabla f(w^k) + \\beta(w^k - w^{k-1})$$; PyTorch keeps a buffer that *sums* gradients,
Keras a velocity that already includes the learning rate, and the "EMA" form an *average*
$$v \\leftarrow \\beta v + (1-\\beta) g$$, which is $$1-\\beta$$ times smaller — so its learning rate must be $$\\alpha/(1-\\beta)$$ to
take the same steps. Converted this way, the four update rules below, each run step by step as the library writes it,
draw one and the same path. Read as an average, the buffer gives the gradient $$j$$ steps back the weight $$\\beta^j$$:
it halves every $$\\ln 0.5/\\ln\\beta$$ steps and adds up to a window of $$1/(1-\\beta)$$ gradients.
"""

SCHEDULES_TEXT = """
## Momentum schedules and primal averaging (Defazio 2020)

Momentum can be rewritten as *stochastic primal averaging*: an SGD step on a second sequence,
$$z^{k+1} = z^k - \\eta_k g^k$$, and the iterate a running average of it, $$x^{k+1} = (1-c_k)x^k + c_k z^{k+1}$$.
With $$\\eta = \\alpha/(1-\\beta)$$ and $$c = 1-\\beta$$ — and a matching $$(\\eta_k, c_k)$$ for any schedule — it produces exactly
the same iterates (the dots below sit on the lines). In this form $$\\alpha/(1-\\beta)$$ is the step that matters, and
the noise floor follows it: cutting the learning rate, or cutting the momentum to reach the same effective step,
both lower the floor; momentum warm-up starts gently and catches up. All four runs see the same noise (the seed).
"""

HURTS_TEXT = """
## When momentum hurts

Momentum is not free. Along a **sharp, well-conditioned direction** plain descent with $$\\alpha\\lambda \\approx 1$$ lands on the
minimum in a step or two, while momentum, with complex roots, ripples down at rate $$\\sqrt\\beta$$: the shaded curvatures are
where plain descent's rate $$|1-\\alpha\\lambda|$$ beats momentum's. And when **the target moves** — an online problem whose
minimum follows $$c_k = \\cos(\\omega k)$$ — the iterates are a filtered copy of the target. Momentum follows a slow drift
more closely, but near its resonance it overshoots and the tracking error grows: the error amplitude
$$|zH(z) - 1|$$, $$z = e^{i\\omega}$$, is computed exactly from the method's transfer function.
"""

CUSTOM_TEXT = """
## Your own problem

Type the eigenvalues of $$A$$ (up to 12, separated by commas or spaces) or a symmetric 2×2 matrix written
`a, b; c, d`, and a start point. The quadratic is $$f(w) = \\tfrac12 w^TAw$$ (optimum at 0). Only plain numbers are read —
nothing is evaluated — and a matrix that is not symmetric or not positive definite, or a condition number above
10⁸, is refused with a message while the last valid problem stays on screen.
"""


class Formula(str):
    """A display formula (TeX) standing on its own line between paragraphs."""


#: What opens the article, before its contents and sections.
OPENING: tuple[str, ...] = (INTRO, Formula(HEAVY_BALL))

#: What stands before each figure on `/`, by route name: paragraphs (Markdown) and display formulas.
#: The article's order is the registry's (`app.figures.FIGURES`); a registered figure needs an entry.
SECTIONS: dict[str, tuple[str, ...]] = {
    "ravine": (RAVINE_TEXT,),
    "decomposition": (QUADRATIC_TEXT, Formula(QUADRATIC), DECOMPOSITION_TEXT),
    "regions": (REGIONS_TEXT, Formula(ITERATION), REGIONS_AFTER, Formula(OPTIMUM)),
    "damping": (DAMPING_TEXT,),
    "condition": (CONDITION_TEXT,),
    "regression": (REGRESSION_TEXT,),
    "colorization": (COLORIZATION_TEXT,),
    "limits": (LIMITS_TEXT,),
    "nesterov": (NESTEROV_TEXT,),
    "stochastic": (STOCHASTIC_TEXT,),
    "model": (MODEL_TEXT,),
    "physics": (BEYOND_TEXT, PHYSICS_TEXT),
    "formulations": (FORMULATIONS_TEXT,),
    "schedules": (SCHEDULES_TEXT,),
    "hurts": (HURTS_TEXT,),
    "custom": (CUSTOM_TEXT,),
}
