from app.pages import figure_page

figure_page("stochastic").servable(title="Momentum Explorer · Stochastic gradients")
