-- The buildings with ids in [%(lo)s, %(hi)s], made set-based from the plan (<plan>),
-- of the towns %(towns)s (null: every town).
-- Every random draw is mab_uniform(id, stream, seed): stream numbers below are
-- only labels that keep the draws independent.
INSERT INTO buildings_building (
    id, prop_id, loc_id, town_id, use_code, year_built, stories, bld_area, res_area,
    units, num_rooms, bldg_val, land_val, other_val, total_val, lot_size, ls_date,
    ls_price, site_addr, city, zip, owner1, zoning, style, fy
)
WITH generator_plan AS ({plan}),
base AS (
    SELECT g.id, p.town_id, p.name AS town_name, p.urban, p.price_factor,
           g.id - p.first_id AS k,
           mab_uniform(g.id, 10, %(seed)s) AS u_use
    FROM generator_plan p
    CROSS JOIN LATERAL generate_series(greatest(p.first_id, %(lo)s),
                                       least(p.last_id, %(hi)s)) AS g(id)
    WHERE p.first_id <= %(hi)s AND p.last_id >= %(lo)s
      AND (%(towns)s::integer[] IS NULL OR p.town_id = ANY (%(towns)s::integer[]))
    OFFSET 0
),
typed AS (
    SELECT b.*,
           CASE WHEN b.urban THEN
                CASE WHEN u_use < 0.30 THEN '101' WHEN u_use < 0.52 THEN '102'
                     WHEN u_use < 0.67 THEN '104' WHEN u_use < 0.77 THEN '105'
                     WHEN u_use < 0.82 THEN '111' WHEN u_use < 0.85 THEN '112'
                     WHEN u_use < 0.87 THEN '013' WHEN u_use < 0.89 THEN '316'
                     WHEN u_use < 0.92 THEN '325' WHEN u_use < 0.94 THEN '340'
                     WHEN u_use < 0.95 THEN '343' WHEN u_use < 0.96 THEN '401'
                     WHEN u_use < 0.985 THEN '903' ELSE '934' END
           ELSE
                CASE WHEN u_use < 0.66 THEN '101' WHEN u_use < 0.74 THEN '102'
                     WHEN u_use < 0.805 THEN '104' WHEN u_use < 0.825 THEN '105'
                     WHEN u_use < 0.835 THEN '111' WHEN u_use < 0.838 THEN '112'
                     WHEN u_use < 0.85 THEN '013' WHEN u_use < 0.87 THEN '316'
                     WHEN u_use < 0.90 THEN '325' WHEN u_use < 0.92 THEN '340'
                     WHEN u_use < 0.93 THEN '332' WHEN u_use < 0.945 THEN '401'
                     WHEN u_use < 0.955 THEN '440' WHEN u_use < 0.975 THEN '903'
                     ELSE '934' END
           END AS use_code,
           mab_uniform(b.id, 11, %(seed)s) AS u_year,
           mab_uniform(b.id, 12, %(seed)s) AS u_tall,
           mab_normal(b.id, 13, %(seed)s) AS z_area,
           mab_normal(b.id, 14, %(seed)s) AS z_value,
           mab_normal(b.id, 15, %(seed)s) AS z_lot,
           mab_uniform(b.id, 16, %(seed)s) AS u_misc
    FROM base b
    OFFSET 0
),
shaped AS (
    SELECT t.*,
           left(t.use_code, 1) AS family,
           CASE
             WHEN t.u_year < 0.05 THEN NULL
             WHEN t.u_year < (CASE WHEN t.urban THEN 0.22 ELSE 0.13 END)
               THEN 1899 - floor(200 * power(mab_uniform(t.id, 20, %(seed)s), 2))::int
             WHEN t.u_year < (CASE WHEN t.urban THEN 0.50 ELSE 0.33 END)
               THEN 1900 + floor(40 * mab_uniform(t.id, 20, %(seed)s))::int
             ELSE 1940 + floor(85 * power(mab_uniform(t.id, 20, %(seed)s), 0.9))::int
           END AS year_built,
           CASE
             WHEN mab_uniform(t.id, 21, %(seed)s) < 0.05 THEN NULL
             WHEN t.urban AND t.use_code IN ('102', '112', '340', '343', '903')
                  AND t.u_tall < 0.12
               THEN least(60, 4 + floor(-ln(1.0 - mab_uniform(t.id, 22, %(seed)s)) * 5))
             WHEN t.u_tall < 0.30 THEN 1
             WHEN t.u_tall < 0.40 THEN 1.5
             WHEN t.u_tall < 0.85 THEN 2
             WHEN t.u_tall < 0.90 THEN 2.5
             ELSE 3
           END AS stories,
           CASE t.use_code
             WHEN '101' THEN 1800 WHEN '102' THEN 1100 WHEN '104' THEN 2600
             WHEN '105' THEN 3400 WHEN '111' THEN 6000 WHEN '112' THEN 24000
             WHEN '013' THEN 4000 WHEN '401' THEN 20000 WHEN '440' THEN 16000
             WHEN '903' THEN 12000 WHEN '934' THEN 30000 ELSE 8000
           END AS median_area,
           CASE left(t.use_code, 1) WHEN '1' THEN 0.45 WHEN '0' THEN 0.7 ELSE 1.1 END
             AS sigma_area
    FROM typed t
    OFFSET 0
),
sized AS (
    SELECT s.*,
           CASE WHEN mab_uniform(s.id, 23, %(seed)s) < 0.05 THEN NULL
                ELSE greatest(300, round(s.median_area * exp(s.sigma_area * s.z_area)
                                         * greatest(1, coalesce(s.stories, 1) / 3.0)))::int
           END AS bld_area,
           round(((CASE WHEN s.urban THEN 0.08 ELSE 0.6 END) * exp(0.8 * s.z_lot))::numeric, 4) AS lot
    FROM shaped s
    OFFSET 0
),
valued AS (
    SELECT z.*,
           round((coalesce(z.bld_area, z.median_area)
                 * (CASE z.family WHEN '1' THEN 190 WHEN '0' THEN 170 WHEN '9' THEN 160
                                  WHEN '4' THEN 85 ELSE 150 END)
                 * z.price_factor * exp(0.25 * z.z_value))::numeric, -2)::bigint AS bldg,
           round((z.lot * (CASE WHEN z.urban THEN 2500000 ELSE 260000 END)
                 * z.price_factor * exp(0.3 * z.z_value))::numeric, -2)::bigint AS land,
           round((8000 * mab_uniform(z.id, 24, %(seed)s))::numeric, -2)::bigint AS other
    FROM sized z
    OFFSET 0
)
SELECT
    v.id,
    (v.k / 80 + 1)::text || '-' || lpad((v.k %% 80 + 1)::text, 3, '0')
      || CASE WHEN v.use_code = '102' THEN '-' || (1 + floor(9 * v.u_misc))::int ELSE '' END,
    CASE WHEN mab_uniform(v.id, 30, %(seed)s) < 0.05 THEN NULL
         ELSE 'F_' || (100000 + floor(mab_uniform(v.id, 31, %(seed)s) * 700000))::int
              || '_' || (780000 + floor(mab_uniform(v.id, 32, %(seed)s) * 200000))::int END,
    v.town_id,
    v.use_code,
    v.year_built,
    v.stories,
    v.bld_area,
    CASE WHEN mab_uniform(v.id, 33, %(seed)s) < 0.05 THEN NULL
         WHEN v.family IN ('1', '0') THEN round(coalesce(v.bld_area, v.median_area) * 0.78)::int
         ELSE 0 END,
    CASE WHEN mab_uniform(v.id, 34, %(seed)s) < 0.05 THEN NULL
         ELSE CASE v.use_code WHEN '101' THEN 1 WHEN '102' THEN 1 WHEN '104' THEN 2
                              WHEN '105' THEN 3 WHEN '013' THEN 2
                              WHEN '111' THEN 4 + floor(5 * v.u_misc)::int
                              WHEN '112' THEN greatest(9, coalesce(v.bld_area, 24000) / 950)
                              ELSE 0 END END,
    CASE WHEN mab_uniform(v.id, 35, %(seed)s) < 0.05 OR v.family NOT IN ('1', '0') THEN NULL
         ELSE greatest(3, round(coalesce(v.bld_area, v.median_area) / 260.0))::int END,
    CASE WHEN mab_uniform(v.id, 36, %(seed)s) < 0.05 THEN NULL ELSE v.bldg END,
    CASE WHEN mab_uniform(v.id, 37, %(seed)s) < 0.05 THEN NULL ELSE v.land END,
    CASE WHEN mab_uniform(v.id, 38, %(seed)s) < 0.05 THEN NULL ELSE v.other END,
    CASE WHEN mab_uniform(v.id, 39, %(seed)s) < 0.05 THEN NULL ELSE v.bldg + v.land + v.other END,
    CASE WHEN mab_uniform(v.id, 40, %(seed)s) < 0.05 THEN NULL ELSE v.lot END,
    CASE WHEN mab_uniform(v.id, 41, %(seed)s) < 0.05 THEN NULL
         ELSE date '1955-01-01' + floor(25500 * sqrt(mab_uniform(v.id, 42, %(seed)s)))::int END,
    CASE WHEN mab_uniform(v.id, 43, %(seed)s) < 0.05 THEN NULL
         ELSE round(((v.bldg + v.land) * (0.35 + 0.7 * mab_uniform(v.id, 44, %(seed)s)))::numeric,
                    -3)::bigint
    END,
    CASE WHEN mab_uniform(v.id, 45, %(seed)s) < 0.05 THEN NULL
         ELSE (1 + floor(380 * power(mab_uniform(v.id, 46, %(seed)s), 2)))::int || ' '
              || (ARRAY['MAIN', 'CHURCH', 'HIGH', 'ELM', 'MAPLE', 'OAK', 'PLEASANT', 'SCHOOL',
                        'WASHINGTON', 'CENTER', 'PARK', 'UNION', 'WINTER', 'SUMMER', 'SPRING',
                        'PROSPECT', 'WALNUT', 'CEDAR', 'PINE', 'CHESTNUT', 'BEACON', 'ADAMS',
                        'LINCOLN', 'FRANKLIN', 'WATER', 'MILL', 'BRIDGE', 'HIGHLAND', 'MYRTLE',
                        'CENTRAL', 'ACADEMY', 'COMMONWEALTH', 'DEPOT', 'PEARL', 'FOREST',
                        'LAKE', 'HILLSIDE', 'ORCHARD', 'MEADOW', 'LOWELL'])
                   [1 + floor(40 * mab_uniform(v.id, 47, %(seed)s))::int] || ' '
              || (ARRAY['ST', 'ST', 'ST', 'AVE', 'RD', 'RD', 'LN', 'DR', 'CIR', 'WAY', 'PL',
                        'TER'])[1 + floor(12 * mab_uniform(v.id, 48, %(seed)s))::int] END,
    CASE WHEN mab_uniform(v.id, 49, %(seed)s) < 0.05 THEN NULL ELSE upper(v.town_name) END,
    CASE WHEN mab_uniform(v.id, 50, %(seed)s) < 0.05 THEN NULL
         ELSE lpad((1001 + (v.town_id * 5 + floor(3 * v.u_misc)::int) %% 1790)::text, 5, '0') END,
    CASE WHEN mab_uniform(v.id, 51, %(seed)s) < 0.05 THEN NULL
         WHEN v.family = '9' THEN
              CASE WHEN v.u_misc < 0.6 THEN 'TOWN OF ' || upper(v.town_name)
                   WHEN v.u_misc < 0.8 THEN 'COMMONWEALTH OF MASSACHUSETTS'
                   ELSE 'ROMAN CATHOLIC ARCHBISHOP OF BOSTON' END
         WHEN v.family IN ('3', '4') OR v.use_code = '112' THEN
              (ARRAY['GRANITE', 'BAY STATE', 'MINUTEMAN', 'PILGRIM', 'COLONIAL', 'CHARLES RIVER',
                     'BERKSHIRE', 'CAPE COD', 'PIONEER VALLEY', 'NORTH SHORE'])
                   [1 + floor(10 * mab_uniform(v.id, 52, %(seed)s))::int]
              || (ARRAY[' REALTY TRUST', ' HOLDINGS LLC', ' PROPERTIES LLC', ' PARTNERS LP',
                        ' DEVELOPMENT CORP'])[1 + floor(5 * v.u_misc)::int]
         ELSE (ARRAY['SULLIVAN', 'MURPHY', 'SMITH', 'OBRIEN', 'KELLY', 'JOHNSON', 'DOHERTY',
                     'NGUYEN', 'SILVA', 'MCCARTHY', 'RODRIGUEZ', 'BROWN', 'WALSH', 'RYAN',
                     'OLIVEIRA', 'CHEN', 'LEE', 'MARTIN', 'FITZGERALD', 'MORIARTY', 'SANTOS',
                     'WILSON', 'DALEY', 'CONNOLLY', 'PATEL'])
                   [1 + floor(25 * mab_uniform(v.id, 52, %(seed)s))::int] || ' '
              || (ARRAY['JOHN', 'MARY', 'MICHAEL', 'PATRICIA', 'JAMES', 'LINDA', 'ROBERT',
                        'BARBARA', 'WILLIAM', 'ELIZABETH', 'DAVID', 'SUSAN', 'JOSEPH', 'MARIA',
                        'THOMAS', 'KAREN', 'DANIEL', 'NANCY', 'PAUL', 'ANNE'])
                   [1 + floor(20 * mab_uniform(v.id, 53, %(seed)s))::int]
              || CASE WHEN v.u_misc < 0.3 THEN ' TR' WHEN v.u_misc < 0.5 THEN ' ETAL' ELSE '' END
    END,
    CASE WHEN mab_uniform(v.id, 54, %(seed)s) < 0.05 THEN NULL
         WHEN v.family IN ('1', '0') THEN
              (ARRAY['R-1', 'R-2', 'R-3', 'RA', 'RB', 'SR', 'GR'])
                  [1 + floor(7 * v.u_misc)::int]
         WHEN v.family = '4' THEN 'I-1'
         WHEN v.family = '9' THEN 'P'
         ELSE (ARRAY['B-1', 'B-2', 'C', 'CB', 'MU'])[1 + floor(5 * v.u_misc)::int] END,
    CASE WHEN mab_uniform(v.id, 55, %(seed)s) < 0.05 THEN NULL
         WHEN v.use_code = '101' THEN
              (ARRAY['Colonial', 'Cape Cod', 'Ranch', 'Conventional', 'Victorian', 'Split Level',
                     'Contemporary', 'Old Style', 'Raised Ranch', 'Garrison'])
                  [1 + floor(10 * mab_uniform(v.id, 56, %(seed)s))::int]
         WHEN v.use_code = '102' THEN 'Condominium'
         WHEN v.use_code IN ('104', '105') THEN
              (ARRAY['Two Family', 'Three Decker', 'Duplex', 'Conventional'])
                  [1 + floor(4 * v.u_misc)::int]
         WHEN v.use_code IN ('111', '112', '013') THEN 'Apartments'
         WHEN v.family = '9' THEN (ARRAY['School', 'Municipal', 'Church', 'Library'])
                  [1 + floor(4 * v.u_misc)::int]
         WHEN v.family = '4' THEN (ARRAY['Industrial', 'Warehouse', 'Manufacturing'])
                  [1 + floor(3 * v.u_misc)::int]
         ELSE (ARRAY['Office Bldg', 'Retail', 'Store', 'Commercial'])
                  [1 + floor(4 * v.u_misc)::int] END,
    CASE WHEN mab_uniform(v.id, 57, %(seed)s) < 0.05 THEN NULL ELSE 2024 END
FROM valued v;
