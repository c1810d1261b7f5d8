from app.pages import figure_page, serve

serve(figure_page("ravine"), "Momentum Explorer · Ravine")
