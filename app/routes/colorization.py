from app.pages import figure_page

figure_page("colorization").servable(title="Momentum Explorer · Colorization")
