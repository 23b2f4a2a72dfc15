"""Reports for the hall and the street (报表), and members' participation credit (积分): figures
counted from the records for a month, quarter or year, with what lies behind each."""
