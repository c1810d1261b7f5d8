from app.pages import figure_page, serve

serve(figure_page("limits"), "Momentum Explorer · The limits of descent")
