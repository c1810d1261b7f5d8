from app.pages import figure_page, serve

serve(figure_page("nesterov"), "Momentum Explorer · Nesterov's momentum")
