from app.pages import figure_page, serve

serve(figure_page("regions"), "Momentum Explorer · Regions")
