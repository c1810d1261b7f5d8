from app.pages import figure_page

figure_page("limits").servable(title="Momentum Explorer · The limits of descent")
