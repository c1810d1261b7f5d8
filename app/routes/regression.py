from app.pages import figure_page, serve

serve(figure_page("regression"), "Momentum Explorer · Polynomial regression")
