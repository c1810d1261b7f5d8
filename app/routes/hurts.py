from app.pages import figure_page, serve

serve(figure_page("hurts"), "Momentum Explorer · When momentum hurts")
