from app.pages import figure_page

figure_page("physics").servable(title="Momentum Explorer · The heavy ball as physics")
