from app.pages import figure_page, serve

serve(figure_page("condition"), "Momentum Explorer · Condition number")
