"""Read-only admin for the knowledge base: statistics come from imports, scenarios through the
services."""

from kraftsenter.core.admin import site_register

from .models import CommutingFlow, EmissionFigure, EmploymentFigure, IndustryEmployment, Scenario

site_register(Scenario, list_display=("name", "owner", "base_year", "target_year"))
site_register(CommutingFlow, list_display=("year", "home", "work", "employed"))
site_register(EmploymentFigure, list_display=("municipality", "year"))
site_register(IndustryEmployment, list_display=("municipality", "year", "industry"))
site_register(EmissionFigure, list_display=("municipality", "year", "sector", "tonnes_co2e"))
