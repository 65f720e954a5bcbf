/**
 * The demo province: Thành phố Huế with a few of its wards and communes after the 2025 reform
 * (official codes from ../shared/data/vn-admin-2025), and the agencies that answer residents.
 */
export const demoProvince = {
  code: '46',
  name: 'Huế',
  fullName: 'Thành phố Huế',
  nameEn: 'Hue City',
  type: 'municipality',
};

export const demoCommunes = [
  { code: '19753', name: 'Phú Xuân', fullName: 'Phường Phú Xuân', nameEn: 'Phu Xuan Ward', type: 'ward' },
  { code: '19789', name: 'Thuận Hoá', fullName: 'Phường Thuận Hoá', nameEn: 'Thuan Hoa Ward', type: 'ward' },
  { code: '19777', name: 'Vỹ Dạ', fullName: 'Phường Vỹ Dạ', nameEn: 'Vy Da Ward', type: 'ward' },
  { code: '19815', name: 'An Cựu', fullName: 'Phường An Cựu', nameEn: 'An Cuu Ward', type: 'ward' },
  { code: '19900', name: 'Thuận An', fullName: 'Phường Thuận An', nameEn: 'Thuan An Ward', type: 'ward' },
  { code: '19945', name: 'Phú Vinh', fullName: 'Xã Phú Vinh', nameEn: 'Phu Vinh Commune', type: 'commune' },
];

export const demoAgencies = [
  {
    code: 'HUE-STNMT',
    name: 'Sở Nông nghiệp và Môi trường',
    nameEn: 'Department of Agriculture and Environment',
    unit: '46',
  },
  { code: 'HUE-SXD', name: 'Sở Xây dựng', nameEn: 'Department of Construction', unit: '46' },
  { code: 'HUE-CA', name: 'Công an thành phố', nameEn: 'City Police', unit: '46' },
  { code: 'HUE-TH-UBND', name: 'UBND phường Thuận Hoá', nameEn: 'Thuan Hoa Ward People’s Committee', unit: '19789' },
  { code: 'HUE-PX-UBND', name: 'UBND phường Phú Xuân', nameEn: 'Phu Xuan Ward People’s Committee', unit: '19753' },
];
