from app.pages import figure_page, serve

serve(figure_page("colorization"), "Momentum Explorer · Colorization")
