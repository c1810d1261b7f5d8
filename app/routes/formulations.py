from app.pages import figure_page, serve

serve(figure_page("formulations"), "Momentum Explorer · One method, many formulations")
