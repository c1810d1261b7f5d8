from app.pages import figure_page, serve

serve(figure_page("decomposition"), "Momentum Explorer · Decomposition")
