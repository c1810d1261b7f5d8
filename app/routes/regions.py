from app.pages import figure_page

figure_page("regions").servable(title="Momentum Explorer · Regions")
