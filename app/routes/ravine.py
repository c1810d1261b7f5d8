from app.pages import figure_page

figure_page("ravine").servable(title="Momentum Explorer · Ravine")
