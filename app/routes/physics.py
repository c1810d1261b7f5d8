from app.pages import figure_page, serve

serve(figure_page("physics"), "Momentum Explorer · The heavy ball as physics")
