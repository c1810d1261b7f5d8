from app.pages import figure_page, serve

serve(figure_page("schedules"), "Momentum Explorer · Momentum schedules")
