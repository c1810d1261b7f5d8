from app.pages import figure_page, serve

serve(figure_page("custom"), "Momentum Explorer · Your own problem")
