from app.pages import figure_page, serve

serve(figure_page("stochastic"), "Momentum Explorer · Stochastic gradients")
